namespace KmlSim.Observation;

/// <summary>
/// The machine's CPU time so far, split as the kernel accounts it (getrusage, times, wait4): cycles of
/// user-half code and cycles of kernel-half code and kernel work. Idle time is in neither. The kernel reads
/// it at every host call and context switch and charges the difference to the task that was running.
/// </summary>
public interface ICpuTimeSource
{
    /// <summary>Cycles charged to user code since the machine started.</summary>
    long UserCycles { get; }

    /// <summary>Cycles charged to the kernel since the machine started.</summary>
    long SystemCycles { get; }
}
