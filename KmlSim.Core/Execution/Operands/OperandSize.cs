namespace KmlSim.Execution.Operands;

/// <summary>An operand size known at compile time.</summary>
internal interface IOperandSize
{
    /// <summary>Size in bytes.</summary>
    static abstract int Bytes { get; }
}

/// <summary>8-bit operands.</summary>
internal struct Size8 : IOperandSize
{
    public static int Bytes => 1;
}

/// <summary>16-bit operands.</summary>
internal struct Size16 : IOperandSize
{
    public static int Bytes => 2;
}

/// <summary>32-bit operands.</summary>
internal struct Size32 : IOperandSize
{
    public static int Bytes => 4;
}

/// <summary>64-bit operands.</summary>
internal struct Size64 : IOperandSize
{
    public static int Bytes => 8;
}
