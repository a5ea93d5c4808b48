namespace KmlSim.Execution;

/// <summary>
/// What CPUID reports: an AMD Opteron 850 (family 0Fh, model 5, stepping A: the revision of the
/// InstLatX86 CPUID dump of a K8 Sledgehammer (AuthenticAMD0000F5A_K8_Sledgehammer_CPUID.txt), which is the
/// source of every value below except the brand string, which names the 850 of the seed article).
/// SSE2 but no SSE3, so glibc and musl pick their baseline SSE2 code paths.
/// </summary>
internal static class CpuidTable
{
    private static readonly string Brand = "AMD Opteron(tm) Processor 850";

    /// <summary>Returns EAX, EBX, ECX, EDX for a leaf (subleaf ignored: no K8 leaf has one).</summary>
    public static (uint Eax, uint Ebx, uint Ecx, uint Edx) Query(uint leaf) => leaf switch
    {
        0x0000_0000 => (0x0000_0001, 0x6874_7541, 0x444D_4163, 0x6974_6E65), // max leaf 1, "AuthenticAMD"
        0x0000_0001 => (0x0000_0F5A, 0x0000_0800, 0x0000_0000, 0x078B_FBFF), // CLFLUSH 8x8 bytes; FPU..SSE2
        0x8000_0000 => (0x8000_0018, 0x6874_7541, 0x444D_4163, 0x6974_6E65),
        0x8000_0001 => (0x0000_0F5A, 0x0000_0405, 0x0000_0000, 0xE1D3_FBFF), // LM, NX, 3DNow!, no LAHF in 64-bit
        0x8000_0002 or 0x8000_0003 or 0x8000_0004 => BrandWords(leaf - 0x8000_0002),
        0x8000_0005 => (0xFF08_FF08, 0xFF20_FF20, 0x4002_0140, 0x4002_0140), // L1 TLBs; L1D/L1I 64 KB 2-way 64 B
        0x8000_0006 => (0x0000_0000, 0x4200_4200, 0x0400_8140, 0x0000_0000), // L2 TLB 512 4-way; L2 1 MB 16-way
        0x8000_0007 => (0x0000_0000, 0x0000_0000, 0x0000_0000, 0x0000_000F),
        0x8000_0008 => (0x0000_3028, 0x0000_0000, 0x0000_0000, 0x0000_0000), // 40-bit physical, 48-bit linear
        _ => (0, 0, 0, 0), // leaves beyond the maxima read as zero on AMD
    };

    private static (uint, uint, uint, uint) BrandWords(uint block)
    {
        Span<byte> bytes = stackalloc byte[16];
        for (int i = 0; i < 16; i++)
        {
            int at = (int)(block * 16) + i;
            bytes[i] = at < Brand.Length ? (byte)Brand[at] : (byte)0;
        }

        return (BitConverter.ToUInt32(bytes), BitConverter.ToUInt32(bytes[4..]), BitConverter.ToUInt32(bytes[8..]), BitConverter.ToUInt32(bytes[12..]));
    }
}
