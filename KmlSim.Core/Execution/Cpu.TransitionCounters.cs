namespace KmlSim.Execution;

/// <summary>
/// Counts of the privilege-transition instructions whose cost KML removes (the article's SYSCALL, SYSRET
/// and SWAPGS), counted when they retire; a SYSCALL executed as a call under KML or serviced by the host
/// under syscall emulation is not counted here (see <see cref="TranslatedSyscalls"/>).
/// </summary>
public sealed partial class Cpu
{
    /// <summary>SYSCALL instructions that entered the kernel through LSTAR.</summary>
    public long SyscallInstructions { get; private set; }

    /// <summary>SYSRET instructions executed.</summary>
    public long SysretInstructions { get; private set; }

    /// <summary>SWAPGS instructions executed.</summary>
    public long SwapgsInstructions { get; private set; }
}
