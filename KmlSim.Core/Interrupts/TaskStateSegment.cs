namespace KmlSim.Interrupts;

/// <summary>
/// Layout of the 64-bit task-state segment (AMD64 APM vol. 2, §12.2.5, figure 12-8): in long mode it only
/// holds the stack pointers the processor loads on a privilege change (RSP0-2) and the interrupt stack
/// table (IST1-7), plus the I/O-permission map base.
/// </summary>
public static class TaskStateSegment
{
    /// <summary>Offset of RSP0; RSPn is at <c>Rsp0Offset + 8n</c>.</summary>
    public const int Rsp0Offset = 0x04;

    /// <summary>Offset of IST1; ISTn is at <c>Ist1Offset + 8(n - 1)</c>.</summary>
    public const int Ist1Offset = 0x24;

    /// <summary>Offset of the I/O-permission bitmap base (16 bits).</summary>
    public const int IoMapBaseOffset = 0x66;

    /// <summary>Size of the TSS without an I/O-permission bitmap; the descriptor limit is one less.</summary>
    public const int Size = 0x68;

    /// <summary>Offset of the stack pointer for a privilege level (0-2).</summary>
    public static int RspOffset(int privilegeLevel) => Rsp0Offset + (8 * privilegeLevel);

    /// <summary>Offset of an interrupt-stack-table entry (1-7).</summary>
    public static int IstOffset(int index) => Ist1Offset + (8 * (index - 1));
}
