namespace KmlSim.Memory;

/// <summary>What a linear-address access is for; it selects the permission checks.</summary>
public enum AccessKind : byte
{
    /// <summary>A data read.</summary>
    Read,
    /// <summary>A data write.</summary>
    Write,
    /// <summary>An instruction fetch.</summary>
    Fetch,
}
