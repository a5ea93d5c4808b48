namespace KmlSim.Harness;

/// <summary>
/// A file a workload needs in the simulated file system: a fresh writable copy of a host file is put at
/// <paramref name="GuestPath"/> before every run, so each run starts from the same bytes (e.g. the
/// pristine Wisconsin database).
/// </summary>
/// <param name="GuestPath">Where the guest finds it (absolute).</param>
/// <param name="HostPath">The host file's path for a run's seed (it may build the file on first use).</param>
internal sealed record WorkloadFile(string GuestPath, Func<int, string> HostPath);
