namespace KmlSim.Harness;

/// <summary>The parsed arguments of <c>kmlsim compare</c>.</summary>
/// <param name="Workloads">The workloads to compare, in order.</param>
/// <param name="Seeds">One Stock and one Kml run per seed.</param>
/// <param name="Reports">Report files to write.</param>
internal sealed record CompareArguments(IReadOnlyList<Workload> Workloads, IReadOnlyList<int> Seeds, ReportOptions Reports)
{
    /// <summary>Parses what follows <c>compare</c>.</summary>
    /// <exception cref="UsageException">The arguments are wrong.</exception>
    public static CompareArguments Parse(ReadOnlySpan<string> args)
    {
        var reader = new OptionReader(args, ["--workloads", "--iterations", .. SeedOptions.Names, .. ReportOptions.Names]);
        long iterations = reader.Number("--iterations", WorkloadCatalog.DefaultIterations, maximum: 1_000_000_000);
        IReadOnlyList<string> names = reader.List("--workloads") ?? WorkloadCatalog.DefaultSet;
        if (names.Distinct().Count() != names.Count)
        {
            throw new UsageException("--workloads names a workload twice");
        }

        return new CompareArguments(names.Select(name => WorkloadCatalog.Find(name, iterations)).ToArray(), SeedOptions.From(reader), ReportOptions.From(reader));
    }
}
