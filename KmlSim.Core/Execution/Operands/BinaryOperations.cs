using System.Runtime.CompilerServices;

namespace KmlSim.Execution.Operands;

/// <summary>A two-operand integer operation for the specialised handlers.</summary>
internal interface IBinaryOperation
{
    /// <summary>False when the destination is only written (MOV).</summary>
    static abstract bool ReadsDestination { get; }

    /// <summary>False when only flags are produced (CMP, TEST).</summary>
    static abstract bool WritesDestination { get; }

    /// <summary>The result.</summary>
    static abstract ulong Compute(ulong a, ulong b);

    /// <summary>Records the flags (after the destination was written, so a faulting store changes nothing).</summary>
    static abstract void SetFlags(Cpu cpu, ulong a, ulong b, ulong result, int size);
}

/// <summary>ADD.</summary>
internal struct AddOperation : IBinaryOperation
{
    public static bool ReadsDestination => true;
    public static bool WritesDestination => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Compute(ulong a, ulong b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void SetFlags(Cpu cpu, ulong a, ulong b, ulong result, int size) => cpu.FlagsAdd(a, b, result, size);
}

/// <summary>SUB.</summary>
internal struct SubOperation : IBinaryOperation
{
    public static bool ReadsDestination => true;
    public static bool WritesDestination => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Compute(ulong a, ulong b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void SetFlags(Cpu cpu, ulong a, ulong b, ulong result, int size) => cpu.FlagsSub(a, b, result, size);
}

/// <summary>CMP.</summary>
internal struct CmpOperation : IBinaryOperation
{
    public static bool ReadsDestination => true;
    public static bool WritesDestination => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Compute(ulong a, ulong b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void SetFlags(Cpu cpu, ulong a, ulong b, ulong result, int size) => cpu.FlagsSub(a, b, result, size);
}

/// <summary>AND.</summary>
internal struct AndOperation : IBinaryOperation
{
    public static bool ReadsDestination => true;
    public static bool WritesDestination => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Compute(ulong a, ulong b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void SetFlags(Cpu cpu, ulong a, ulong b, ulong result, int size) => cpu.FlagsLogic(result, size);
}

/// <summary>TEST.</summary>
internal struct TestOperation : IBinaryOperation
{
    public static bool ReadsDestination => true;
    public static bool WritesDestination => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Compute(ulong a, ulong b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void SetFlags(Cpu cpu, ulong a, ulong b, ulong result, int size) => cpu.FlagsLogic(result, size);
}

/// <summary>OR.</summary>
internal struct OrOperation : IBinaryOperation
{
    public static bool ReadsDestination => true;
    public static bool WritesDestination => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Compute(ulong a, ulong b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void SetFlags(Cpu cpu, ulong a, ulong b, ulong result, int size) => cpu.FlagsLogic(result, size);
}

/// <summary>XOR.</summary>
internal struct XorOperation : IBinaryOperation
{
    public static bool ReadsDestination => true;
    public static bool WritesDestination => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Compute(ulong a, ulong b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void SetFlags(Cpu cpu, ulong a, ulong b, ulong result, int size) => cpu.FlagsLogic(result, size);
}

/// <summary>MOV (no flags).</summary>
internal struct MovOperation : IBinaryOperation
{
    public static bool ReadsDestination => false;
    public static bool WritesDestination => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Compute(ulong a, ulong b) => b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void SetFlags(Cpu cpu, ulong a, ulong b, ulong result, int size)
    {
    }
}
