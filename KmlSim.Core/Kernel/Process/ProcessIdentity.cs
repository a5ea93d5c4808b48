namespace KmlSim.Kernel.Process;

/// <summary>
/// The fixed identity of the simulated process: its ids, and what uname reports. Fixed values keep runs
/// deterministic; the process is not pid 1 because init has special signal semantics in Linux.
/// </summary>
internal static class ProcessIdentity
{
    /// <summary>Process id (and thread id of its only thread).</summary>
    public const int ProcessId = 1000;

    /// <summary>Parent process id.</summary>
    public const int ParentProcessId = 1;

    /// <summary>Real and effective user id: an ordinary user, not root.</summary>
    public const int UserId = 1000;

    /// <summary>Root's user id (and group id): the owner of what the kernel keeps from the process's user (KML's /trusted).</summary>
    public const int RootId = 0;

    /// <summary>Real and effective group id.</summary>
    public const int GroupId = 1000;

    /// <summary>uname's sysname.</summary>
    public const string SystemName = "Linux";

    /// <summary>uname's nodename.</summary>
    public const string NodeName = "kmlsim";

    /// <summary>uname's release (a kernel new enough for every call a current libc makes at start-up).</summary>
    public const string Release = "6.1.0-kmlsim";

    /// <summary>uname's version.</summary>
    public const string Version = "#1 SMP KmlSim";

    /// <summary>uname's machine, and AT_PLATFORM.</summary>
    public const string Machine = "x86_64";

    /// <summary>
    /// AT_HWCAP: CPUID function 1 EDX of the simulated Opteron 850 (family 0Fh: FPU..SSE2, HTT clear),
    /// the value Linux copies into the auxiliary vector.
    /// </summary>
    public const ulong HardwareCapabilities = 0x078BFBFF;
}
