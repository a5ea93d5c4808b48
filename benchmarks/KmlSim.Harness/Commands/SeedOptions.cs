namespace KmlSim.Harness;

/// <summary><c>--repeat K</c> and <c>--seed S</c>: the seeds S, S+1, ..., S+K-1 (machine seed and the guest's seed argument).</summary>
internal static class SeedOptions
{
    /// <summary>The most runs per mode one command makes (far more than a 95% interval needs).</summary>
    public const int MaxRepeat = 1000;

    /// <summary>The option names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["--repeat", "--seed"];

    /// <summary>The seeds asked for (default: one run, seed 1).</summary>
    /// <exception cref="UsageException">A value is not a number in range.</exception>
    public static IReadOnlyList<int> From(OptionReader reader)
    {
        int repeat = (int)reader.Number("--repeat", 1, maximum: MaxRepeat);
        int first = (int)reader.Number("--seed", 1, minimum: 0, maximum: int.MaxValue - MaxRepeat);
        return Enumerable.Range(first, repeat).ToArray();
    }
}
