namespace KmlSim.Memory;

/// <summary>Bits of the #PF error code (APM vol. 2, §8.4.2).</summary>
public static class PageFaultErrorCode
{
    /// <summary>P: set for a protection violation, clear for a not-present page.</summary>
    public const uint Present = 1;
    /// <summary>W/R: the access was a write.</summary>
    public const uint Write = 2;
    /// <summary>U/S: the access was made at CPL 3.</summary>
    public const uint User = 4;
    /// <summary>RSV: a reserved bit was set in a page-table entry.</summary>
    public const uint Reserved = 8;
    /// <summary>I/D: the access was an instruction fetch (reported when EFER.NXE is set).</summary>
    public const uint InstructionFetch = 16;
}
