namespace KmlSim.Harness;

/// <summary>
/// One workload measured under Stock and under Kml, once per seed (the i-th Stock and i-th Kml runs share
/// a seed), and the figures derived from each pair: change in percent and cycles saved per system call.
/// </summary>
/// <param name="Workload">The workload.</param>
/// <param name="Seeds">The seeds, one per pair of runs.</param>
/// <param name="Stock">Its measurements under the stock kernel, one per seed.</param>
/// <param name="Kml">Its measurements under Kernel Mode Linux, one per seed.</param>
internal sealed record WorkloadComparison(Workload Workload, IReadOnlyList<int> Seeds, IReadOnlyList<Measurement> Stock, IReadOnlyList<Measurement> Kml)
{
    /// <summary>Runs (seeds) per mode.</summary>
    public int Runs => Stock.Count;

    /// <summary>The measurements of <paramref name="mode"/> (Stock or Kml).</summary>
    public IReadOnlyList<Measurement> Of(KernelMode mode) => mode == KernelMode.Stock ? Stock : Kml;

    /// <summary>A figure of one mode over the seeds.</summary>
    public Estimate Figure(KernelMode mode, Func<Measurement, double> figure) => Estimate.Of(Of(mode).Select(figure).ToArray());

    /// <summary>The change from Stock to Kml in percent of Stock, per seed (0 when Stock's figure is 0).</summary>
    public Estimate ChangePercent(Func<Measurement, double> figure) =>
        Estimate.Of(Pairs((stock, kml) => figure(stock) == 0 ? 0 : (figure(kml) - figure(stock)) * 100 / figure(stock)));

    /// <summary>Cycles saved per system call: (Stock total - Kml total) / Stock's system calls (both make the same calls), per seed.</summary>
    public Estimate SavedCyclesPerSyscall =>
        Estimate.Of(Pairs((stock, kml) => stock.Syscalls == 0 ? 0 : (double)(stock.TotalCycles - kml.TotalCycles) / stock.Syscalls));

    /// <summary>
    /// The part of <see cref="SavedCyclesPerSyscall"/> saved in the crossing itself (<see cref="Observation.CycleCauses.Crossing"/>),
    /// per seed: stable across model changes, where the rest (user code and bodies disturbed differently) is not.
    /// </summary>
    public Estimate SavedCrossingCyclesPerSyscall =>
        Estimate.Of(Pairs((stock, kml) => stock.Syscalls == 0 ? 0 : (double)(Crossing(stock) - Crossing(kml)) / stock.Syscalls));

    /// <summary>Cycles saved (Stock - Kml) in each cause category, per seed.</summary>
    public IReadOnlyList<(string Category, Estimate Saved)> SavedByCategory =>
        Stock[0].Breakdown.Keys
            .Select(key => (key, Estimate.Of(Pairs((stock, kml) => stock.Breakdown.GetValueOrDefault(key) - kml.Breakdown.GetValueOrDefault(key)))))
            .ToArray();

    /// <summary>Stock's less Kml's value of a timing counter (e.g. refill or memory stall cycles), per seed.</summary>
    public Estimate SavedInCounter(string counter) =>
        Estimate.Of(Pairs((stock, kml) => stock.Counters.GetValueOrDefault(counter) - kml.Counters.GetValueOrDefault(counter)));

    /// <summary>True when each seed's Stock and Kml runs printed the same output (the same program ran to the same end).</summary>
    public bool OutputsAgree => Pairs((stock, kml) => stock.Output == kml.Output ? 1 : 0).All(same => same == 1);

    private static long Crossing(Measurement m) => Observation.CycleCauses.Crossing.Sum(cause => m.Breakdown.GetValueOrDefault(cause));

    private double[] Pairs(Func<Measurement, Measurement, double> figure) => Stock.Zip(Kml, figure).ToArray();
}
