using System.CommandLine;
using KmlSim.Timing.Profiles;

namespace KmlSim.Harness;

/// <summary>
/// What a run was (config.json in an <c>--outdir</c>, as gem5 writes config.json beside its statistics):
/// the tool and its version and commit, the command line, every option's value (defaults included), the
/// full timing profile, and the host it ran on (which does not change simulated results, but says where
/// the host seconds and MIPS were measured).
/// </summary>
/// <param name="Tool">Always <c>kmlsim</c>.</param>
/// <param name="Version">The package version.</param>
/// <param name="Commit">The commit the tool was built from, when the build knew it.</param>
/// <param name="Command">The subcommand (<c>run</c>, <c>compare</c>, ...).</param>
/// <param name="Arguments">The command line after <c>kmlsim</c>, as given.</param>
/// <param name="Options">Each option of the command by name, with its value as given or its default.</param>
/// <param name="Profile">The timing profile, or null without timing.</param>
/// <param name="Host">The host.</param>
internal sealed record RunConfiguration(
    string Tool, string Version, string? Commit, string Command, IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string?> Options, CpuProfile? Profile, HostDescription Host)
{
    /// <summary>The file name in an output directory.</summary>
    public const string FileName = "config.json";

    /// <summary>The configuration of the command line <paramref name="parsed"/>, timed with <paramref name="profile"/>.</summary>
    public static RunConfiguration Of(ParseResult parsed, CpuProfile? profile)
    {
        string[] version = ToolVersion.Text.Split('+', 2);
        Command command = parsed.CommandResult.Command;
        var options = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (Option option in command.Options.Where(option => option.Arity.MaximumNumberOfValues > 0 || option.ValueType == typeof(bool)))
        {
            options[option.Name] = parsed.GetResult(option) is { } result ? Text(result.GetValueOrDefault<object?>()) : null;
        }

        return new RunConfiguration(
            "kmlsim", version[0], version.Length > 1 ? version[1] : null, command.Name, parsed.Tokens.Select(token => token.Value).ToArray(),
            options, profile, HostDescription.Current);
    }

    /// <summary>Writes the configuration as <see cref="FileName"/> in <paramref name="directory"/>.</summary>
    /// <exception cref="IOException">It cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">It may not be written.</exception>
    public void Write(string directory) =>
        File.WriteAllText(Path.Combine(directory, FileName), System.Text.Json.JsonSerializer.Serialize(this, ReportJsonContext.Default.RunConfiguration) + "\n");

    private static string? Text(object? value) => value switch
    {
        null => null,
        string text => text,
        System.Collections.IEnumerable items => string.Join(",", items.Cast<object?>().Select(item => item?.ToString())),
        IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
