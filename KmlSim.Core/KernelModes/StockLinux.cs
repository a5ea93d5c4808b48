using KmlSim.Interrupts;

namespace KmlSim.KernelModes;

/// <summary>
/// Stock Linux 2.6.11 on x86-64: every process runs at CPL 3 and enters through SYSCALL; interrupt gates
/// switch to TSS.RSP0, and only the double fault (IST 1) and NMI (IST 2) have their own stacks, as in
/// <c>arch/x86_64/kernel/traps.c</c>.
/// </summary>
internal sealed class StockLinux : IKernelModePolicy
{
    /// <inheritdoc/>
    public bool HasDirectEntry => false;

    /// <inheritdoc/>
    public bool MovesKernelModeUserFrames => false;

    /// <inheritdoc/>
    public int InterruptStackFor(byte vector) => vector switch
    {
        (byte)ExceptionVector.DoubleFault => 1,
        (byte)ExceptionVector.Nmi => 2,
        _ => 0,
    };

    /// <inheritdoc/>
    public string? PrivilegedDirectory => null;

    /// <inheritdoc/>
    public bool RunsInRingZero(string guestPath) => false;
}
