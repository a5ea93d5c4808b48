namespace KmlSim.Memory;

/// <summary>
/// One entry of the interpreter's software TLB: a page-aligned linear address and the host array of the
/// frame it maps. This is a host-side speed device, not the K8 TLB (the timing model has its own).
/// </summary>
internal struct TlbEntry
{
    /// <summary>Linear page address; <see cref="Invalid"/> (odd, never page-aligned) when empty.</summary>
    public ulong Tag;

    /// <summary>The frame's host array.</summary>
    public byte[] Page;

    /// <summary>The frame number.</summary>
    public ulong Pfn;

    /// <summary>True when the translation came from a 2 MiB page (PS in the page-directory entry).</summary>
    public bool Large;

    /// <summary>The tag of an empty entry.</summary>
    public const ulong Invalid = 1;
}
