namespace KmlSim.Interrupts;

/// <summary>
/// A 16-byte long-mode IDT gate descriptor (AMD64 APM vol. 2, §4.8.4, figure 4-24): target offset (64
/// bits), target code selector, IST index, type (0xE interrupt gate, 0xF trap gate), DPL and P.
/// </summary>
/// <param name="Low">Bytes 0-7 of the gate.</param>
/// <param name="High">Bytes 8-15 of the gate (offset bits 63:32, then reserved).</param>
public readonly record struct IdtGate(ulong Low, ulong High)
{
    /// <summary>Type of a 64-bit interrupt gate (clears RFLAGS.IF on entry).</summary>
    public const int InterruptGateType = 0xE;

    /// <summary>Type of a 64-bit trap gate (leaves RFLAGS.IF alone).</summary>
    public const int TrapGateType = 0xF;

    /// <summary>The handler's linear address.</summary>
    public ulong Offset => (Low & 0xFFFF) | ((Low >> 32) & 0xFFFF_0000) | (High << 32);

    /// <summary>The handler's code-segment selector.</summary>
    public ushort Selector => (ushort)(Low >> 16);

    /// <summary>Interrupt-stack-table index 1-7, or 0 for the legacy stack switch.</summary>
    public int Ist => (int)(Low >> 32) & 7;

    /// <summary>The gate type.</summary>
    public int Type => (int)(Low >> 40) & 0xF;

    /// <summary>Descriptor privilege level: the highest CPL from which INT n may use the gate.</summary>
    public int Dpl => (int)(Low >> 45) & 3;

    /// <summary>Present bit.</summary>
    public bool Present => ((Low >> 47) & 1) != 0;

    /// <summary>True for the two gate types allowed in a long-mode IDT.</summary>
    public bool IsInterruptOrTrapGate => !IsSegment && Type is InterruptGateType or TrapGateType;

    /// <summary>True for an interrupt gate (as opposed to a trap gate).</summary>
    public bool IsInterruptGate => Type == InterruptGateType;

    private bool IsSegment => ((Low >> 44) & 1) != 0;

    /// <summary>Encodes a present gate.</summary>
    public static IdtGate Create(ulong handler, ushort selector, int dpl = 0, int ist = 0, bool trap = false)
    {
        ulong low = (handler & 0xFFFF)
            | ((ulong)selector << 16)
            | ((ulong)(ist & 7) << 32)
            | ((ulong)(trap ? TrapGateType : InterruptGateType) << 40)
            | ((ulong)(dpl & 3) << 45)
            | (1UL << 47)
            | ((handler & 0xFFFF_0000) << 32);
        return new IdtGate(low, handler >> 32);
    }
}
