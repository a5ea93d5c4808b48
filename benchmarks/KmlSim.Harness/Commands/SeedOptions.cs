using System.CommandLine;

namespace KmlSim.Harness;

/// <summary><c>--repeat K</c> and <c>--seed S</c>: the seeds S, S+1, ..., S+K-1 (machine seed and the guest's seed argument).</summary>
internal static class SeedOptions
{
    /// <summary>The most runs per mode one command makes (far more than a 95% interval needs).</summary>
    public const int MaxRepeat = 1000;

    private static readonly Option<long> Repeat = CommandOptions.WholeNumber(
        "--repeat", "K runs per mode with seeds S..S+K-1: mean and 95% confidence interval (Student t)", 1, maximum: MaxRepeat);

    private static readonly Option<long> Seed = CommandOptions.WholeNumber("--seed", "the first seed S", 1, minimum: 0, maximum: int.MaxValue - MaxRepeat);

    /// <summary>The options, for a command to add.</summary>
    public static IReadOnlyList<Option> Options { get; } = [Repeat, Seed];

    /// <summary>The seeds asked for (default: one run, seed 1).</summary>
    public static IReadOnlyList<int> Read(ParseResult parsed) =>
        Enumerable.Range((int)parsed.GetValue(Seed), (int)parsed.GetValue(Repeat)).ToArray();
}
