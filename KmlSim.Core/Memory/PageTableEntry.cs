namespace KmlSim.Memory;

/// <summary>Bits of an AMD64 page-table entry at any level (APM vol. 2, §5.4).</summary>
public static class PageTableEntry
{
    /// <summary>Present.</summary>
    public const ulong Present = 1UL << 0;
    /// <summary>Read/write.</summary>
    public const ulong Writable = 1UL << 1;
    /// <summary>User/supervisor.</summary>
    public const ulong User = 1UL << 2;
    /// <summary>Accessed.</summary>
    public const ulong Accessed = 1UL << 5;
    /// <summary>Dirty (leaf only).</summary>
    public const ulong Dirty = 1UL << 6;
    /// <summary>Page size: a 2 MiB page in a page-directory entry.</summary>
    public const ulong LargePage = 1UL << 7;
    /// <summary>Global (leaf only): kept across CR3 writes when CR4.PGE is set.</summary>
    public const ulong Global = 1UL << 8;
    /// <summary>No-execute (needs EFER.NXE).</summary>
    public const ulong NoExecute = 1UL << 63;
    /// <summary>Physical address bits 51:12.</summary>
    public const ulong AddressMask = 0x000F_FFFF_FFFF_F000UL;
}
