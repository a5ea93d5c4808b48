namespace KmlSim.Isa;

/// <summary>
/// An 8-byte code, data or system segment descriptor (AMD64 APM vol. 2, §4.7 and §4.8). In 64-bit mode
/// only the attributes matter for code and data segments (base and limit are ignored, except the FS and GS
/// base, which a selector load takes from the descriptor); a system descriptor (TSS, LDT) is 16 bytes and
/// this struct holds its lower half.
/// </summary>
/// <param name="Raw">The descriptor's 64 bits as stored in the table.</param>
public readonly record struct SegmentDescriptor(ulong Raw)
{
    /// <summary>Type value of an available 64-bit TSS in a system descriptor.</summary>
    public const int AvailableTss64 = 0x9;

    /// <summary>Type value of a busy 64-bit TSS.</summary>
    public const int BusyTss64 = 0xB;

    /// <summary>The accessed bit (type bit 0 of a code or data descriptor).</summary>
    public const ulong AccessedBit = 1UL << 40;

    /// <summary>The busy bit of a TSS descriptor's type.</summary>
    public const ulong TssBusyBit = 1UL << 41;

    /// <summary>Base bits 31:0.</summary>
    public uint Base => (uint)(((Raw >> 16) & 0xFF_FFFF) | ((Raw >> 32) & 0xFF00_0000));

    /// <summary>The 20-bit limit field (in bytes, or in 4 KiB units when <see cref="Granularity"/> is set).</summary>
    public uint LimitField => (uint)((Raw & 0xFFFF) | ((Raw >> 32) & 0xF_0000));

    /// <summary>The limit in bytes, granularity applied.</summary>
    public uint Limit => Granularity ? (LimitField << 12) | 0xFFF : LimitField;

    /// <summary>The 4-bit type field.</summary>
    public int Type => (int)(Raw >> 40) & 0xF;

    /// <summary>True for a system descriptor (S = 0): TSS, LDT, gates.</summary>
    public bool IsSystem => ((Raw >> 44) & 1) == 0;

    /// <summary>Descriptor privilege level.</summary>
    public int Dpl => (int)(Raw >> 45) & 3;

    /// <summary>Present bit.</summary>
    public bool Present => ((Raw >> 47) & 1) != 0;

    /// <summary>L bit: a 64-bit code segment.</summary>
    public bool Long => ((Raw >> 53) & 1) != 0;

    /// <summary>D/B bit: default operand size 32 (must be clear in a 64-bit code segment).</summary>
    public bool DefaultBig => ((Raw >> 54) & 1) != 0;

    /// <summary>G bit: the limit counts 4 KiB units.</summary>
    public bool Granularity => ((Raw >> 55) & 1) != 0;

    /// <summary>A code segment (S = 1, type bit 3 set).</summary>
    public bool IsCode => !IsSystem && (Type & 8) != 0;

    /// <summary>A data segment (S = 1, type bit 3 clear).</summary>
    public bool IsData => !IsSystem && (Type & 8) == 0;

    /// <summary>A conforming code segment.</summary>
    public bool IsConforming => IsCode && (Type & 4) != 0;

    /// <summary>A readable code segment.</summary>
    public bool IsReadableCode => IsCode && (Type & 2) != 0;

    /// <summary>A writable data segment (what SS requires).</summary>
    public bool IsWritableData => IsData && (Type & 2) != 0;

    /// <summary>A code segment that runs in 64-bit mode (L = 1, D = 0).</summary>
    public bool Is64BitCode => IsCode && Long && !DefaultBig;

    /// <summary>A 64-bit code segment descriptor (flat, present, accessed, readable) at a privilege level.</summary>
    public static ulong Code64(int dpl) => 0x00AF_9B00_0000_FFFFUL | ((ulong)dpl << 45);

    /// <summary>A 32-bit (compatibility-mode) code segment descriptor at a privilege level.</summary>
    public static ulong Code32(int dpl) => 0x00CF_9B00_0000_FFFFUL | ((ulong)dpl << 45);

    /// <summary>A flat writable data segment descriptor (present, accessed) at a privilege level.</summary>
    public static ulong Data(int dpl) => 0x00CF_9300_0000_FFFFUL | ((ulong)dpl << 45);

    /// <summary>
    /// The two halves of a 16-byte available 64-bit TSS descriptor (APM vol. 2, §12.2.5): base bits 63:32
    /// live in the upper half, whose type field must be zero.
    /// </summary>
    public static (ulong Low, ulong High) Tss64(ulong tssBase, uint limit)
    {
        ulong low = (limit & 0xFFFFUL)
            | ((tssBase & 0xFF_FFFF) << 16)
            | ((ulong)AvailableTss64 << 40)
            | (1UL << 47)
            | ((ulong)(limit & 0xF_0000) << 32)
            | ((tssBase & 0xFF00_0000) << 32);
        return (low, tssBase >> 32);
    }
}
