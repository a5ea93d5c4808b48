using System.CommandLine;
using KmlSim.Timing.Profiles;

namespace KmlSim.Harness;

/// <summary>
/// <c>--set NAME=VALUE</c> (repeatable): the Opteron 850 profile with parameters changed, any number
/// <see cref="ProfileParameter"/> finds (the profile's public numbers and flags). Checked when the line is
/// parsed, so a misspelt name fails before anything runs.
/// </summary>
internal static class ProfileOptions
{
    private static readonly Option<string[]> Set = new("--set")
    {
        HelpName = "NAME=VALUE",
        Description = $"changes one parameter of the {CpuProfiles.Opteron850.Name} timing profile (repeatable): {string.Join(", ", ProfileParameter.Names)}",
        Arity = ArgumentArity.ZeroOrMore,
        DefaultValueFactory = _ => [],
        Validators =
        {
            result =>
            {
                foreach (string token in result.Tokens.Select(token => token.Value))
                {
                    try
                    {
                        _ = Parse(token);
                    }
                    catch (UsageException problem)
                    {
                        result.AddError($"--set {token}: {problem.Message}");
                    }
                }
            },
        },
    };

    /// <summary>The options, for a command to add.</summary>
    public static IReadOnlyList<Option> Options { get; } = [Set];

    /// <summary>The <c>--set</c> option itself (for checks across options).</summary>
    public static Option SetOption => Set;

    /// <summary>The Opteron 850 profile with the changes given on the command line.</summary>
    public static CpuProfile Read(ParseResult parsed) => Apply(CpuProfiles.Opteron850, parsed);

    /// <summary><paramref name="profile"/> with the changes given on the command line, in their order.</summary>
    public static CpuProfile Apply(CpuProfile profile, ParseResult parsed) =>
        parsed.GetRequiredValue(Set).Select(Parse).Aggregate(profile, (changed, set) => set.Parameter.Apply(changed, set.Value));

    /// <exception cref="UsageException">The text is not NAME=VALUE of a parameter and a value it takes.</exception>
    private static (ProfileParameter Parameter, string Value) Parse(string text)
    {
        int at = text.IndexOf('=');
        if (at <= 0 || at == text.Length - 1)
        {
            throw new UsageException("needs NAME=VALUE");
        }

        ProfileParameter parameter = ProfileParameter.Find(text[..at]);
        _ = parameter.Parse(text[(at + 1)..]);
        return (parameter, text[(at + 1)..]);
    }
}
