namespace KmlSim.Execution;

/// <summary>The rounding-control field (bits 10-11) of the x87 control word.</summary>
internal enum FpuRounding
{
    /// <summary>Round to nearest, ties to even.</summary>
    Nearest = 0,
    /// <summary>Round toward negative infinity.</summary>
    Down = 1,
    /// <summary>Round toward positive infinity.</summary>
    Up = 2,
    /// <summary>Round toward zero (truncate).</summary>
    TowardZero = 3,
}
