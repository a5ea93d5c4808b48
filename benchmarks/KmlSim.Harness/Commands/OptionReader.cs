using System.Globalization;

namespace KmlSim.Harness;

/// <summary>
/// Reads a subcommand's <c>--name value</c> options (each at most once) and positional arguments, and
/// converts values with usage errors that name the option.
/// </summary>
internal sealed class OptionReader
{
    private readonly Dictionary<string, string> values = [];
    private readonly List<string> positional = [];

    /// <summary>Reads <paramref name="args"/>, accepting only the options in <paramref name="known"/> (each takes a value).</summary>
    /// <exception cref="UsageException">An unknown option, a missing value, an option given twice, or a positional argument where none is allowed.</exception>
    public OptionReader(ReadOnlySpan<string> args, IReadOnlyCollection<string> known, bool positionalAllowed = false)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string option = args[i];
            if (!option.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(positionalAllowed ? option : throw new UsageException($"unexpected argument '{option}'"));
                continue;
            }

            if (!known.Contains(option))
            {
                throw new UsageException($"unknown option '{option}'");
            }

            if (i + 1 >= args.Length)
            {
                throw new UsageException($"{option} needs a value");
            }

            if (!values.TryAdd(option, args[++i]))
            {
                throw new UsageException($"{option} is given twice");
            }
        }
    }

    /// <summary>The positional arguments, in order.</summary>
    public IReadOnlyList<string> Positional => positional;

    /// <summary>The value of <paramref name="option"/>, or null when it was not given.</summary>
    public string? Text(string option) => values.GetValueOrDefault(option);

    /// <summary>A whole number from <paramref name="minimum"/> to <paramref name="maximum"/>, or <paramref name="fallback"/> when not given.</summary>
    /// <exception cref="UsageException">The value is not such a number.</exception>
    public long Number(string option, long fallback, long minimum = 1, long maximum = long.MaxValue) => Text(option) is not { } value
        ? fallback
        : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n >= minimum && n <= maximum
            ? n
            : throw new UsageException($"{option} needs a whole number from {minimum} to {maximum}, not '{value}'");

    /// <summary>A comma-separated list of non-empty items, or null when not given.</summary>
    /// <exception cref="UsageException">The list has an empty item.</exception>
    public IReadOnlyList<string>? List(string option) => Text(option) is not { } value
        ? null
        : value.Split(',') is var items && items.All(item => item.Length > 0)
            ? items
            : throw new UsageException($"{option} needs a comma-separated list without empty items, not '{value}'");
}
