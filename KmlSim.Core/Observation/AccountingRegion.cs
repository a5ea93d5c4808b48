namespace KmlSim.Observation;

/// <summary>Accounting regions. Code in the user half is always <see cref="User"/>; kernel-half code is charged to the region whose code range contains it (<see cref="IKernelWorkMeter.MapCode"/>), else to the region the kernel last entered (<see cref="IKernelWorkMeter.EnterRegion"/>).</summary>
public enum AccountingRegion
{
    /// <summary>User code (lower half), whatever the CPL.</summary>
    User,
    /// <summary>The kernel's entry and exit code: the system call paths, and the interrupt paths' stubs, register saves and IRETQ return.</summary>
    SyscallEntryExit,
    /// <summary>System-call bodies (and their metered kernel work).</summary>
    SyscallBody,
    /// <summary>Interrupt and exception delivery and handlers.</summary>
    Interrupt,
    /// <summary>The scheduler and the other exit work (signal delivery).</summary>
    Scheduler,
    /// <summary>Other kernel code (no region set).</summary>
    Kernel,
}
