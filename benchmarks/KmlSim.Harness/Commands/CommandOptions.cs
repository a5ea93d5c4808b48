using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace KmlSim.Harness;

/// <summary>
/// Options of the kinds the commands share: whole numbers in a range and comma-separated lists (named
/// choices are <see cref="ChoiceOption{T}"/>). A bad value is a parse error that names the option and what
/// it takes, reported with every other problem on the line before anything runs.
/// </summary>
internal static class CommandOptions
{
    /// <summary>A whole number from <paramref name="minimum"/> to <paramref name="maximum"/>, <paramref name="fallback"/> when not given.</summary>
    public static Option<long> WholeNumber(string name, string description, long fallback, long minimum = 1, long maximum = long.MaxValue) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => fallback,
        CustomParser = result => ParseWholeNumber(name, result, minimum, maximum) ?? fallback,
    };

    /// <summary>A whole number from <paramref name="minimum"/> to <paramref name="maximum"/>, null when not given.</summary>
    public static Option<long?> OptionalWholeNumber(string name, string description, long minimum = 1, long maximum = long.MaxValue) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result => ParseWholeNumber(name, result, minimum, maximum),
    };

    /// <summary>A comma-separated list of non-empty items, null when not given (an error when <paramref name="required"/>).</summary>
    public static Option<IReadOnlyList<string>?> List(string name, string description, string helpName, bool required = false) => new(name)
    {
        Description = description,
        Required = required,
        HelpName = helpName,
        CustomParser = result =>
        {
            string value = Single(result);
            string[] items = value.Split(',');
            if (items.Any(item => item.Length == 0))
            {
                result.AddError($"{name} needs a comma-separated list without empty items, not '{value}'");
            }

            return items;
        },
    };

    /// <summary>Adds <paramref name="options"/>, a set several commands share, to <paramref name="command"/>.</summary>
    public static void AddAll(Command command, IEnumerable<Option> options)
    {
        foreach (Option option in options)
        {
            command.Options.Add(option);
        }
    }

    private static long? ParseWholeNumber(string name, ArgumentResult result, long minimum, long maximum)
    {
        string value = Single(result);
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) && n >= minimum && n <= maximum)
        {
            return n;
        }

        string range = maximum == long.MaxValue
            ? $"of at least {minimum.ToString(CultureInfo.InvariantCulture)}"
            : $"from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}";
        result.AddError($"{name} needs a whole number {range}, not '{value}'");
        return null;
    }

    // A single-valued option's parser sees exactly one token (System.CommandLine reports a missing value
    // or a second occurrence itself before calling it).
    private static string Single(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
}
