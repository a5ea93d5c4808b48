namespace KmlSim.Timing.Memory;

/// <summary>Where an access was satisfied.</summary>
public enum MemoryLevel : byte
{
    /// <summary>L1 hit.</summary>
    L1,
    /// <summary>L2 hit.</summary>
    L2,
    /// <summary>L3 hit (profiles with an L3).</summary>
    L3,
    /// <summary>DRAM.</summary>
    Dram,
}
