namespace KmlSim.Timing.Memory;

/// <summary>Where an access was satisfied.</summary>
public enum MemoryLevel : byte
{
    /// <summary>L1 hit.</summary>
    L1,
    /// <summary>L2 hit.</summary>
    L2,
    /// <summary>DRAM.</summary>
    Dram,
}
