namespace KmlSim.Execution.Operands;

/// <summary>
/// A condition code known at compile time, so that a handler instantiated over it evaluates
/// <see cref="Cpu.Condition"/> with the code's switch folded away.
/// </summary>
internal interface IConditionCode
{
    /// <summary>Iced's ConditionCode number.</summary>
    static abstract byte Code { get; }
}

/// <summary>Condition Overflow (Iced ConditionCode 1).</summary>
internal struct OverflowCondition : IConditionCode
{
    public static byte Code => 1;
}

/// <summary>Condition NotOverflow (Iced ConditionCode 2).</summary>
internal struct NotOverflowCondition : IConditionCode
{
    public static byte Code => 2;
}

/// <summary>Condition Below (Iced ConditionCode 3).</summary>
internal struct BelowCondition : IConditionCode
{
    public static byte Code => 3;
}

/// <summary>Condition AboveOrEqual (Iced ConditionCode 4).</summary>
internal struct AboveOrEqualCondition : IConditionCode
{
    public static byte Code => 4;
}

/// <summary>Condition Equal (Iced ConditionCode 5).</summary>
internal struct EqualCondition : IConditionCode
{
    public static byte Code => 5;
}

/// <summary>Condition NotEqual (Iced ConditionCode 6).</summary>
internal struct NotEqualCondition : IConditionCode
{
    public static byte Code => 6;
}

/// <summary>Condition BelowOrEqual (Iced ConditionCode 7).</summary>
internal struct BelowOrEqualCondition : IConditionCode
{
    public static byte Code => 7;
}

/// <summary>Condition Above (Iced ConditionCode 8).</summary>
internal struct AboveCondition : IConditionCode
{
    public static byte Code => 8;
}

/// <summary>Condition Sign (Iced ConditionCode 9).</summary>
internal struct SignCondition : IConditionCode
{
    public static byte Code => 9;
}

/// <summary>Condition NotSign (Iced ConditionCode 10).</summary>
internal struct NotSignCondition : IConditionCode
{
    public static byte Code => 10;
}

/// <summary>Condition Parity (Iced ConditionCode 11).</summary>
internal struct ParityCondition : IConditionCode
{
    public static byte Code => 11;
}

/// <summary>Condition NotParity (Iced ConditionCode 12).</summary>
internal struct NotParityCondition : IConditionCode
{
    public static byte Code => 12;
}

/// <summary>Condition Less (Iced ConditionCode 13).</summary>
internal struct LessCondition : IConditionCode
{
    public static byte Code => 13;
}

/// <summary>Condition GreaterOrEqual (Iced ConditionCode 14).</summary>
internal struct GreaterOrEqualCondition : IConditionCode
{
    public static byte Code => 14;
}

/// <summary>Condition LessOrEqual (Iced ConditionCode 15).</summary>
internal struct LessOrEqualCondition : IConditionCode
{
    public static byte Code => 15;
}

/// <summary>Condition Greater (Iced ConditionCode 16).</summary>
internal struct GreaterCondition : IConditionCode
{
    public static byte Code => 16;
}
