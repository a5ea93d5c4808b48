namespace KmlSim.Isa;

/// <summary>Bit masks of RFLAGS (AMD64 APM vol. 2, §3.1.6).</summary>
public static class RFlags
{
    /// <summary>Carry flag.</summary>
    public const ulong CF = 1UL << 0;
    /// <summary>Reserved bit 1, always reads as one.</summary>
    public const ulong Reserved1 = 1UL << 1;
    /// <summary>Parity flag (even parity of the low result byte).</summary>
    public const ulong PF = 1UL << 2;
    /// <summary>Auxiliary (BCD) carry flag.</summary>
    public const ulong AF = 1UL << 4;
    /// <summary>Zero flag.</summary>
    public const ulong ZF = 1UL << 6;
    /// <summary>Sign flag.</summary>
    public const ulong SF = 1UL << 7;
    /// <summary>Trap flag.</summary>
    public const ulong TF = 1UL << 8;
    /// <summary>Interrupt enable flag.</summary>
    public const ulong IF = 1UL << 9;
    /// <summary>Direction flag.</summary>
    public const ulong DF = 1UL << 10;
    /// <summary>Overflow flag.</summary>
    public const ulong OF = 1UL << 11;
    /// <summary>I/O privilege level (two bits).</summary>
    public const ulong IOPL = 3UL << 12;
    /// <summary>Nested task.</summary>
    public const ulong NT = 1UL << 14;
    /// <summary>Resume flag.</summary>
    public const ulong RF = 1UL << 16;
    /// <summary>Alignment check / access control.</summary>
    public const ulong AC = 1UL << 18;
    /// <summary>CPUID-detection flag.</summary>
    public const ulong ID = 1UL << 21;

    /// <summary>The six arithmetic status flags.</summary>
    public const ulong Status = CF | PF | AF | ZF | SF | OF;

    /// <summary>Bits software can change with POPF at CPL 0 (VM/VIF/VIP are legacy-mode only).</summary>
    public const ulong Writable = Status | TF | IF | DF | IOPL | NT | RF | AC | ID;
}
