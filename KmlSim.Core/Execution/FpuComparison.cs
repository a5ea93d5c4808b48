namespace KmlSim.Execution;

/// <summary>The outcome of an x87 comparison.</summary>
internal enum FpuComparison
{
    /// <summary>The first operand is greater.</summary>
    Greater,
    /// <summary>The first operand is less.</summary>
    Less,
    /// <summary>Equal (±0 compare equal).</summary>
    Equal,
    /// <summary>At least one operand is a NaN or unsupported.</summary>
    Unordered,
}
