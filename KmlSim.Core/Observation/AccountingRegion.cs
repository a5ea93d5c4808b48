namespace KmlSim.Observation;

/// <summary>Accounting regions. Code in the user half is always <see cref="User"/>; kernel-half code is charged to the region the kernel last entered (<see cref="IKernelWorkMeter.EnterRegion"/>).</summary>
public enum AccountingRegion
{
    /// <summary>User code (lower half), whatever the CPL.</summary>
    User,
    /// <summary>System-call entry and exit code.</summary>
    SyscallEntryExit,
    /// <summary>System-call bodies (and their metered kernel work).</summary>
    SyscallBody,
    /// <summary>Interrupt and exception delivery and handlers.</summary>
    Interrupt,
    /// <summary>The scheduler.</summary>
    Scheduler,
    /// <summary>Other kernel code (no region set).</summary>
    Kernel,
}
