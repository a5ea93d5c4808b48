using System.Runtime.CompilerServices;

namespace KmlSim.Execution.Operands;

/// <summary>How MOVZX / MOVSX(D) widen their source.</summary>
internal interface IExtension
{
    /// <summary>Widens the low <paramref name="size"/> bytes of <paramref name="value"/> to 64 bits.</summary>
    static abstract ulong Extend(ulong value, int size);
}

/// <summary>MOVZX: the source is already zero-extended by its read.</summary>
internal struct ZeroExtension : IExtension
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Extend(ulong value, int size) => value;
}

/// <summary>MOVSX, MOVSXD.</summary>
internal struct SignExtension : IExtension
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Extend(ulong value, int size) => (ulong)Cpu.SignExtend(value, size);
}
