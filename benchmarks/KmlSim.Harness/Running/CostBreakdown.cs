using KmlSim.Observation;

namespace KmlSim.Harness;

/// <summary>
/// Where a run's cycles went, by cause: the one place the harness reads the timing model's breakdown
/// (<see cref="CycleCauses"/>: user code, SYSCALL, SYSRET, SWAPGS, IRETQ, other entry/exit code, system call
/// bodies, interrupts and scheduling, other kernel code, idle), so that every report uses the same
/// categories in the same order.
/// </summary>
internal static class CostBreakdown
{
    /// <summary>The cause categories, in report order (the keys of <see cref="Of"/>).</summary>
    public static IReadOnlyList<string> Categories => CycleCauses.All;

    /// <summary>The counters that explain the breakdown across categories: front-end refill cycles and memory stall cycles.</summary>
    public static IReadOnlyList<string> CrossCuttingCounters { get; } = [CycleCauses.RefillCycles, CycleCauses.MemoryStallCycles];

    /// <summary>The cycles of <paramref name="report"/> by cause (they add up to its total plus its idle cycles), in report order.</summary>
    public static IReadOnlyDictionary<string, long> Of(TimingReport report) =>
        Categories.ToDictionary(category => category, category => report.Breakdown.GetValueOrDefault(category));

    /// <summary>The event counters reported beside the breakdown (refill and memory stall cycles, misses, mispredicts, ...).</summary>
    public static IReadOnlyDictionary<string, long> CountersOf(TimingReport report) => report.Counters;
}
