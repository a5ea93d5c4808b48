namespace KmlSim.Harness;

/// <summary>Runs workloads under Stock and Kml for each seed, showing progress, and pairs the results.</summary>
internal static class ComparisonRunner
{
    /// <summary>The two kernels every comparison runs.</summary>
    public static IReadOnlyList<KernelMode> Modes { get; } = [KernelMode.Stock, KernelMode.Kml];

    /// <summary>Instructions a comparison of <paramref name="workloads"/> over <paramref name="seeds"/> is expected to simulate.</summary>
    public static long PlannedInstructions(IReadOnlyList<Workload> workloads, IReadOnlyList<int> seeds) =>
        workloads.Sum(w => w.EstimatedInstructions) * Modes.Count * seeds.Count;

    /// <summary>Measures each workload under Stock and Kml for each seed.</summary>
    /// <exception cref="WorkloadFailedException">A run did not exit cleanly.</exception>
    /// <exception cref="Guests.GuestBuildException">A guest could not be built.</exception>
    public static IReadOnlyList<WorkloadComparison> Run(WorkloadRunner runner, IReadOnlyList<Workload> workloads, IReadOnlyList<int> seeds)
    {
        foreach (Workload workload in workloads)
        {
            runner.Prepare(workload, seeds);
        }

        var comparisons = new List<WorkloadComparison>();
        foreach (Workload workload in workloads)
        {
            var stock = new List<Measurement>();
            var kml = new List<Measurement>();
            foreach (int seed in seeds)
            {
                stock.Add(runner.Measure(workload, KernelMode.Stock, seed));
                kml.Add(runner.Measure(workload, KernelMode.Kml, seed));
            }

            comparisons.Add(new WorkloadComparison(workload, seeds, stock, kml));
        }

        return comparisons;
    }
}
