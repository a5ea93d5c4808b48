using System.CommandLine;

namespace KmlSim.Harness;

/// <summary>
/// An option that takes one of a few names, each standing for a value of <typeparamref name="T"/>: help
/// lists the names (and shows the default by its name), completion offers them, and any other name is a
/// parse error that lists them.
/// </summary>
/// <typeparam name="T">What a name stands for.</typeparam>
internal sealed class ChoiceOption<T> : Option<string>
{
    private readonly IReadOnlyList<(string Name, T Value)> choices;

    /// <summary>An option called <paramref name="name"/> choosing among <paramref name="choices"/>, <paramref name="fallback"/> (a name) when not given.</summary>
    public ChoiceOption(string name, string description, IReadOnlyList<(string Name, T Value)> choices, string fallback)
        : base(name)
    {
        this.choices = choices;
        string[] names = choices.Select(choice => choice.Name).ToArray();
        Description = description;
        HelpName = string.Join('|', names);
        DefaultValueFactory = _ => fallback;
        CompletionSources.Add(names);
        Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && !names.Contains(result.Tokens[^1].Value))
            {
                result.AddError($"{name} '{result.Tokens[^1].Value}' is not one of {string.Join(", ", names)}");
            }
        });
    }

    /// <summary>The value of the name given on the command line (or of the default).</summary>
    public T Read(ParseResult parsed)
    {
        string name = parsed.GetRequiredValue(this);
        return choices.First(choice => choice.Name == name).Value;
    }
}
