namespace KmlSim.Kernel.Process;

/// <summary>
/// The CPU time a process used, in cycles of the simulated clock (getrusage, times, wait4, SIGCHLD's
/// siginfo): its own, and that of the children it collected with wait4 (with their own collected children),
/// as Linux's utime/stime and cutime/cstime.
/// </summary>
internal sealed class ProcessTimes
{
    /// <summary>Cycles of the process's user-half code.</summary>
    public long UserCycles { get; set; }

    /// <summary>Cycles the kernel spent for the process (entry and exit code, bodies, interrupts taken while it ran).</summary>
    public long SystemCycles { get; set; }

    /// <summary>User cycles of the collected children.</summary>
    public long ChildUserCycles { get; set; }

    /// <summary>System cycles of the collected children.</summary>
    public long ChildSystemCycles { get; set; }
}
