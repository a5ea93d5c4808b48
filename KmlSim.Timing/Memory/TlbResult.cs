namespace KmlSim.Timing.Memory;

/// <summary>Where a <see cref="Tlb"/> lookup found the translation.</summary>
public enum TlbResult
{
    /// <summary>In an L1 TLB entry (4 KB or 2 MB): no penalty.</summary>
    L1Hit,

    /// <summary>In the L2 TLB (4 KB pages only).</summary>
    L2Hit,

    /// <summary>Nowhere: a page walk through all four levels to a 4 KB page.</summary>
    Walk,

    /// <summary>Nowhere: a page walk that ends at the page-directory entry of a 2 MB page (three levels).</summary>
    LargeWalk,
}
