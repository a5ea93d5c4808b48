namespace KmlSim.Observation;

/// <summary>Bit layout of <see cref="RetiredInstruction.RegistersRead"/> and <see cref="RetiredInstruction.RegistersWritten"/>.</summary>
public static class RegisterMask
{
    /// <summary>Bits 0-15: the general-purpose registers in encoding order (RAX = bit 0 ... R15 = bit 15).</summary>
    public const int GprShift = 0;

    /// <summary>Bits 16-31: XMM0-XMM15.</summary>
    public const int XmmShift = 16;

    /// <summary>The arithmetic flags (any of them).</summary>
    public const ulong Flags = 1UL << 32;

    /// <summary>The x87 register stack and status (treated as one resource).</summary>
    public const ulong X87 = 1UL << 33;

    /// <summary>The stack pointer (RSP, bit 4).</summary>
    public const ulong StackPointer = 1UL << 4;
}
