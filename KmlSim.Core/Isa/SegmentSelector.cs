namespace KmlSim.Isa;

/// <summary>The fields of a segment selector (AMD64 APM vol. 2, §4.5.1).</summary>
public static class SegmentSelector
{
    /// <summary>The requested privilege level (bits 1:0).</summary>
    public static int Rpl(ushort selector) => selector & 3;

    /// <summary>True for a selector that refers to the LDT (TI = 1).</summary>
    public static bool IsLocal(ushort selector) => (selector & 4) != 0;

    /// <summary>True for a null selector (index 0 in the GDT, any RPL).</summary>
    public static bool IsNull(ushort selector) => (selector & 0xFFFC) == 0;

    /// <summary>
    /// The error code of a fault about a selector: index and TI bits, bit 0 (EXT) set when the fault
    /// arose while delivering an external interrupt or a processor exception.
    /// </summary>
    public static uint ErrorCode(ushort selector, bool external) => (uint)(selector & 0xFFFC) | (external ? 1u : 0u);
}
