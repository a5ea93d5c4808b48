namespace KmlSim.Kernel.Scheduling;

/// <summary>Something that can sleep on a <see cref="WaitQueue"/>: a task (thread) of the simulated kernel.</summary>
internal interface IWaiter
{
    /// <summary>Makes the waiter runnable again; it re-executes the system call it slept in.</summary>
    void Wake();
}
