namespace KmlSim;

/// <summary>How a <see cref="Machine"/> is built. Every input that could vary between runs is here, so equal options give equal runs.</summary>
public sealed record MachineOptions
{
    /// <summary>Simulated physical memory in bytes (default 1 GiB; host memory is only used for pages the guest touches).</summary>
    public ulong MemoryBytes { get; init; } = 1UL << 30;

    /// <summary>Seed of the guest's randomness: the AT_RANDOM bytes and getrandom.</summary>
    public int Seed { get; init; }

    /// <summary>The guest's environment strings ("NAME=value"); empty by default.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>What the guest reads from standard input (empty by default: it sees end of file).</summary>
    public byte[] Stdin { get; init; } = [];

    /// <summary>The timing model (KmlSim.Timing's <c>CpuProfiles.Opteron850</c>); null = functional only, fastest.</summary>
    public Observation.ITimingModelFactory? Timing { get; init; }

    /// <summary>The guest's working directory, an absolute path in the simulated file system (created if missing); "/" by default.</summary>
    public string WorkingDirectory { get; init; } = "/";

    /// <summary>The kernel (default: stock Linux behind the real entry path).</summary>
    public KernelMode KernelMode { get; init; } = KernelMode.Stock;

    /// <summary>
    /// Runs a host program as <c>/trusted/bin/NAME</c> (the path the kernel sees; argv[0] stays the path given
    /// to <see cref="Machine.Start"/>), so that under <see cref="KernelMode.Kml"/> it is a kernel-mode user
    /// process. (A program in the simulated file system is trusted when its own path is under /trusted/.)
    /// </summary>
    public bool Trusted { get; init; }

    /// <summary>Charges the work of system call bodies (default: nothing, functional mode); ignored when <see cref="Timing"/> is set, whose model is the meter.</summary>
    public Observation.IKernelWorkMeter KernelWorkMeter { get; init; } = Observation.IKernelWorkMeter.None;
}
