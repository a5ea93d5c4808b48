namespace KmlSim.Harness;

/// <summary>The parsed arguments of <c>kmlsim compare</c>.</summary>
/// <param name="Workloads">The workloads to compare, in order.</param>
/// <param name="Seeds">One Stock and one Kml run per seed.</param>
/// <param name="Reports">Report files to write.</param>
/// <param name="Profile">The timing profile (Opteron 850 with the <c>--set</c> changes).</param>
internal sealed record CompareArguments(IReadOnlyList<Workload> Workloads, IReadOnlyList<int> Seeds, ReportOptions Reports, Timing.Profiles.CpuProfile Profile);
