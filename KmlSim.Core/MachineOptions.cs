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

    /// <summary>
    /// A host directory the guest sees read-only as its root, "/" (null by default: an empty root with only
    /// the simulated /dev, /proc and /tmp). Its /dev, /proc, /sys and /tmp are never shown: those stay the
    /// simulation's. New files at the top level go to the in-memory tree; below a shown directory the host's
    /// tree is read-only (EROFS). A dynamically linked program needs a root holding its interpreter and libraries.
    /// </summary>
    public string? Root { get; init; }

    /// <summary>
    /// The names at the top of <see cref="Root"/> the guest sees (null: all of them). kmlsim run gives a
    /// dynamic program the host's "/" with usr, lib*, bin, sbin and etc, as qemu-user shows the host's libraries.
    /// </summary>
    public IReadOnlyList<string>? RootEntries { get; init; }

    /// <summary>
    /// The top-level names of the host's "/" a dynamic program needs (its programs, libraries and
    /// configuration): what kmlsim run shows a dynamic program by default, as qemu-user shows the host's libraries.
    /// </summary>
    public static IReadOnlyList<string> HostSystemEntries { get; } = ["usr", "lib", "lib32", "lib64", "libx32", "bin", "sbin", "etc"];

    /// <summary>
    /// argv[0] of the program (null: the program's guest path, which never depends on where the binary
    /// lies on the host; see <see cref="Machine.Start"/>).
    /// </summary>
    public string? Argv0 { get; init; }

    /// <summary>The guest's working directory, an absolute path in the simulated file system (created if missing); "/" by default.</summary>
    public string WorkingDirectory { get; init; } = "/";

    /// <summary>The kernel (default: stock Linux behind the real entry path).</summary>
    public KernelMode KernelMode { get; init; } = KernelMode.Stock;

    /// <summary>
    /// Runs the program as <c>/trusted/bin/NAME</c> (its guest path, argv[0] and /proc/self/exe), so that
    /// under <see cref="KernelMode.Kml"/> it is a kernel-mode user process. (Without it, a program in the
    /// simulated file system is trusted when its own path is under /trusted/.)
    /// </summary>
    public bool Trusted { get; init; }

    /// <summary>Charges the work of system call bodies (default: nothing, functional mode); ignored when <see cref="Timing"/> is set, whose model is the meter.</summary>
    public Observation.IKernelWorkMeter KernelWorkMeter { get; init; } = Observation.IKernelWorkMeter.None;
}
