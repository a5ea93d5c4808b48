using KmlSim.Observation;

namespace KmlSim.Harness;

/// <summary>
/// Where a run's cycles went, by cause: the one place the harness reads the timing model's breakdown, so
/// every report (compare, wisconsin, SVG) uses the same categories in the same order.
/// </summary>
internal static class CostBreakdown
{
    /// <summary>The cause categories, in report order (the keys of <see cref="Of"/>).</summary>
    public static IReadOnlyList<string> Categories { get; } = Enum.GetNames<AccountingRegion>();

    /// <summary>The cycles of <paramref name="report"/> by cause category (they add up to its total), in report order.</summary>
    public static IReadOnlyDictionary<string, long> Of(TimingReport report)
    {
        // Accounting regions until the timing model reports causes: the per-system-call entries
        // ("syscallN") are a finer split of SyscallBody and would count it twice.
        var categories = new Dictionary<string, long>();
        foreach (string category in Categories)
        {
            categories[category] = report.RegionCycles.GetValueOrDefault(category);
        }

        return categories;
    }

    /// <summary>The event counters reported beside the breakdown (pipeline refills, cache and TLB misses, ...).</summary>
    public static IReadOnlyDictionary<string, long> CountersOf(TimingReport report) => report.Counters;
}
