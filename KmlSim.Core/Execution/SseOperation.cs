namespace KmlSim.Execution;

/// <summary>The floating-point operations that share one lane routine in <see cref="SseArithmetic"/>.</summary>
internal enum SseOperation : byte
{
    /// <summary>ADDxx.</summary>
    Add,
    /// <summary>SUBxx.</summary>
    Subtract,
    /// <summary>MULxx.</summary>
    Multiply,
    /// <summary>DIVxx.</summary>
    Divide,
    /// <summary>MINxx.</summary>
    Min,
    /// <summary>MAXxx.</summary>
    Max,
    /// <summary>SQRTxx (of the second operand).</summary>
    Sqrt,
}
