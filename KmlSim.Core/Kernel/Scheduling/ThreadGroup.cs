namespace KmlSim.Kernel.Scheduling;

/// <summary>
/// The threads of one process (Linux's thread group): its first thread, which carries the process's pid,
/// parent, wait status and results, and the threads still alive. When the first thread calls exit while
/// others run, it stays in the task table, parked (<see cref="KernelTask.ThreadExited"/>), until the
/// last thread ends the process, as Linux keeps a thread group's leader as a zombie until then.
/// </summary>
internal sealed class ThreadGroup(KernelTask leader)
{
    /// <summary>The first thread.</summary>
    public KernelTask Leader { get; } = leader;

    /// <summary>The threads that have not ended, in creation order.</summary>
    public List<KernelTask> Live { get; } = [leader];

    /// <summary>The context switches of the threads that ended (RUSAGE_SELF counts them too).</summary>
    public (long Voluntary, long Involuntary) EndedSwitches { get; set; }
}
