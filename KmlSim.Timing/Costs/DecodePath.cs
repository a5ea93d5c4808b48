namespace KmlSim.Timing.Costs;

/// <summary>K8 decode paths (reference §1 Decode, [AMD-25112] §A.7).</summary>
public enum DecodePath : byte
{
    /// <summary>One macro-op from a DirectPath decoder.</summary>
    Direct,
    /// <summary>Two macro-ops from a DirectPath decoder.</summary>
    DirectDouble,
    /// <summary>Microcode: decodes alone in its cycle.</summary>
    Vector,
}
