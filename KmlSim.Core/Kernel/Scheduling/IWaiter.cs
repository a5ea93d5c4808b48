namespace KmlSim.Kernel.Scheduling;

/// <summary>Something that can sleep on a <see cref="WaitQueue"/>: a task (thread) of the simulated kernel.</summary>
internal interface IWaiter
{
    /// <summary>Makes the waiter runnable again; it re-executes the system call it slept in.</summary>
    void Wake();

    /// <summary>
    /// The clock time (<see cref="Interrupts.ITimerClock.Now"/>) at which the blocking call in progress gives
    /// up, or <see cref="NoDeadline"/>. The first run of a timed call sets it; the kernel clears it when the
    /// call completes or is interrupted, and wakes the waiter at the first timer tick at or after it.
    /// </summary>
    long Deadline { get; set; }

    /// <summary>The <see cref="Deadline"/> of a call that waits without a time limit.</summary>
    const long NoDeadline = long.MaxValue;
}
