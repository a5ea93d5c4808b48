namespace KmlSim.Observation;

/// <summary>One memory access of a retired instruction: linear address, size and direction.</summary>
public struct MemoryAccess
{
    /// <summary>Linear address of the first byte (for a REP string instruction: of the first element).</summary>
    public ulong Address;

    /// <summary>Size in bytes of one access.</summary>
    public byte Size;

    /// <summary>True for a store (a read-modify-write operand is reported as a store; it also loads).</summary>
    public bool IsWrite;

    /// <summary>True when the access also reads (loads, and read-modify-write operands).</summary>
    public bool IsRead;
}
