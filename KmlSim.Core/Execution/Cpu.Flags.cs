using System.Numerics;
using System.Runtime.CompilerServices;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// Arithmetic flags, computed eagerly after each flag-writing instruction. The formulas are the textbook
/// carry/overflow identities on the operation's width (AMD64 APM vol. 1, §3.1.4).
/// </summary>
public sealed partial class Cpu
{
    /// <summary>The sign bit of an operand size in bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int SignShift(int size) => (size * 8) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong ParityFlag(ulong result) => (ulong)((~BitOperations.PopCount((uint)(byte)result) & 1) << 2);

    /// <summary>ZF, SF, PF of a result; the rest of the status flags are set by the caller.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong ResultFlags(ulong result, int size)
    {
        ulong masked = result & SizeMask(size);
        return (masked == 0 ? RFlags.ZF : 0)
            | (((masked >> SignShift(size)) & 1) << 7)
            | ParityFlag(masked);
    }

    /// <summary>Replaces the six status flags.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SetStatus(ulong flags) => Rflags = (Rflags & ~RFlags.Status) | flags;

    /// <summary>Flags of <c>a + b + carry = result</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void FlagsAdd(ulong a, ulong b, ulong result, int size)
    {
        int sign = SignShift(size);
        ulong carry = (((a & b) | ((a | b) & ~result)) >> sign) & 1;
        ulong overflow = (((a ^ result) & (b ^ result)) >> sign) & 1;
        SetStatus(ResultFlags(result, size) | carry | (overflow << 11) | ((a ^ b ^ result) & RFlags.AF));
    }

    /// <summary>Flags of <c>a - b - borrow = result</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void FlagsSub(ulong a, ulong b, ulong result, int size)
    {
        int sign = SignShift(size);
        ulong borrow = (((~a & b) | ((~a | b) & result)) >> sign) & 1;
        ulong overflow = (((a ^ b) & (a ^ result)) >> sign) & 1;
        SetStatus(ResultFlags(result, size) | borrow | (overflow << 11) | ((a ^ b ^ result) & RFlags.AF));
    }

    /// <summary>Flags of a logical operation: CF = OF = 0, AF cleared (undefined in the manual; K8 clears it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void FlagsLogic(ulong result, int size) => SetStatus(ResultFlags(result, size));

    /// <summary>Evaluates a condition code in Iced's <c>ConditionCode</c> numbering (o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Condition(byte code)
    {
        ulong f = Rflags;
        return code switch
        {
            1 => (f & RFlags.OF) != 0,
            2 => (f & RFlags.OF) == 0,
            3 => (f & RFlags.CF) != 0,
            4 => (f & RFlags.CF) == 0,
            5 => (f & RFlags.ZF) != 0,
            6 => (f & RFlags.ZF) == 0,
            7 => (f & (RFlags.CF | RFlags.ZF)) != 0,
            8 => (f & (RFlags.CF | RFlags.ZF)) == 0,
            9 => (f & RFlags.SF) != 0,
            10 => (f & RFlags.SF) == 0,
            11 => (f & RFlags.PF) != 0,
            12 => (f & RFlags.PF) == 0,
            13 => ((f >> 7) & 1) != ((f >> 11) & 1),
            14 => ((f >> 7) & 1) == ((f >> 11) & 1),
            15 => (f & RFlags.ZF) != 0 || ((f >> 7) & 1) != ((f >> 11) & 1),
            16 => (f & RFlags.ZF) == 0 && ((f >> 7) & 1) == ((f >> 11) & 1),
            _ => true,
        };
    }
}
