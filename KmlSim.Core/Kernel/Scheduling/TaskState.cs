namespace KmlSim.Kernel.Scheduling;

/// <summary>The life of a <see cref="KernelTask"/>.</summary>
internal enum TaskState
{
    /// <summary>Running or waiting for the CPU.</summary>
    Runnable,

    /// <summary>Asleep on a wait queue.</summary>
    Sleeping,

    /// <summary>Ended; waits for its parent to collect the status.</summary>
    Zombie,

    /// <summary>Collected by its parent (or an orphan that ended): gone.</summary>
    Dead,
}
