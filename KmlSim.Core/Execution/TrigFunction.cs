namespace KmlSim.Execution;

/// <summary>The trigonometric functions of FSIN, FCOS, FSINCOS and FPTAN.</summary>
internal enum TrigFunction
{
    /// <summary>Sine.</summary>
    Sine,
    /// <summary>Cosine.</summary>
    Cosine,
    /// <summary>Tangent.</summary>
    Tangent,
}
