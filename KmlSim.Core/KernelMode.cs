namespace KmlSim;

/// <summary>Which kernel a <see cref="Machine"/> runs (see KernelModes/ for what each one changes).</summary>
public enum KernelMode
{
    /// <summary>Stock Linux 2.6.11: every process at CPL 3, system calls through SYSCALL/SYSRET, IST only for #DF and NMI.</summary>
    Stock,

    /// <summary>
    /// Kernel Mode Linux: executables under /trusted run at CPL 0 and call the kernel directly; every
    /// interrupt gate uses an IST stack. Other processes run as under <see cref="Stock"/>.
    /// </summary>
    Kml,

    /// <summary>KML without the IST fix: no gate uses IST, to show the stack starvation and red-zone problems.</summary>
    KmlWithoutIst,

    /// <summary>
    /// No simulated kernel code at all: SYSCALL stops the CPU and the C# bodies run directly (gem5-style
    /// syscall emulation). The fastest functional path; no entry/exit cost, one process, no timer.
    /// </summary>
    SyscallEmulation,
}
