using System.Numerics;
using System.Runtime.CompilerServices;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// RFLAGS with lazily computed status flags. Most flag results are overwritten before anything reads them,
/// so an arithmetic instruction only records its operands, result and kind; the six status flags are
/// computed when RFLAGS is read, and the common conditions (after CMP, SUB, TEST, AND...) are answered
/// straight from the recorded operands. The formulas are the carry/overflow identities on the operation's
/// width (AMD64 APM vol. 1, §3.1.4).
/// </summary>
public sealed partial class Cpu
{
    private ulong flagBits = RFlags.Reserved1; // authoritative, except the status bits while lazyKind != None
    private LazyFlags lazyKind;
    private ulong lazyA, lazyB, lazyResult;
    private int lazySize;

    private enum LazyFlags : byte
    {
        None,
        Add,
        Sub,
        SubWithBorrow, // SBB: Sub's formulas hold, its compare shortcut does not
        Logic,
        Increment, // like Add, CF kept from flagBits
        Decrement, // like Sub, CF kept from flagBits
    }

    /// <summary>RFLAGS (bit 1 always set). Reading it computes any pending status flags.</summary>
    public ulong Rflags
    {
        get
        {
            if (lazyKind != LazyFlags.None)
            {
                Materialize();
            }

            return flagBits;
        }
        set
        {
            flagBits = value | RFlags.Reserved1;
            lazyKind = LazyFlags.None;
            if ((value & (RFlags.TF | RFlags.AC)) != 0)
            {
                StartSingleStepping(); // the single-step trap or alignment checking may apply (the loop tells)
            }
        }
    }

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

    /// <summary>Status flags of <c>a + b + carry = result</c>.</summary>
    internal static ulong AddStatus(ulong a, ulong b, ulong result, int size)
    {
        int sign = SignShift(size);
        ulong carry = (((a & b) | ((a | b) & ~result)) >> sign) & 1;
        ulong overflow = (((a ^ result) & (b ^ result)) >> sign) & 1;
        return ResultFlags(result, size) | carry | (overflow << 11) | ((a ^ b ^ result) & RFlags.AF);
    }

    /// <summary>Status flags of <c>a - b - borrow = result</c>.</summary>
    internal static ulong SubStatus(ulong a, ulong b, ulong result, int size)
    {
        int sign = SignShift(size);
        ulong borrow = (((~a & b) | ((~a | b) & result)) >> sign) & 1;
        ulong overflow = (((a ^ b) & (a ^ result)) >> sign) & 1;
        return ResultFlags(result, size) | borrow | (overflow << 11) | ((a ^ b ^ result) & RFlags.AF);
    }

    /// <summary>Replaces the six status flags.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SetStatus(ulong flags)
    {
        flagBits = (flagBits & ~RFlags.Status) | flags;
        lazyKind = LazyFlags.None;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Record(LazyFlags kind, ulong a, ulong b, ulong result, int size)
    {
        lazyKind = kind;
        lazyA = a;
        lazyB = b;
        lazyResult = result;
        lazySize = size;
    }

    /// <summary>Flags of <c>a + b = result</c> (also right for ADC, whose result includes the carry).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void FlagsAdd(ulong a, ulong b, ulong result, int size) => Record(LazyFlags.Add, a, b, result, size);

    /// <summary>Flags of <c>a - b = result</c>; conditions are then answered as a plain compare of a and b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void FlagsSub(ulong a, ulong b, ulong result, int size) => Record(LazyFlags.Sub, a, b, result, size);

    /// <summary>Flags of SBB, <c>a - b - borrow = result</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void FlagsSubWithBorrow(ulong a, ulong b, ulong result, int size) => Record(LazyFlags.SubWithBorrow, a, b, result, size);

    /// <summary>Flags of a logical operation: CF = OF = 0, AF cleared (undefined in the manual).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void FlagsLogic(ulong result, int size) => Record(LazyFlags.Logic, 0, 0, result, size);

    /// <summary>Flags of INC/DEC: like ADD/SUB of 1 but CF is left alone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void FlagsIncDec(ulong a, ulong result, int size, bool decrement)
    {
        flagBits = (flagBits & ~RFlags.CF) | CarryFlag(); // keep the previous instruction's CF, computed alone
        Record(decrement ? LazyFlags.Decrement : LazyFlags.Increment, a, 1, result, size);
    }

    /// <summary>CF (0 or 1) alone, without computing the other pending status flags.</summary>
    internal ulong CarryFlag()
    {
        int sign = SignShift(lazySize);
        return lazyKind switch
        {
            LazyFlags.Add => (((lazyA & lazyB) | ((lazyA | lazyB) & ~lazyResult)) >> sign) & 1,
            LazyFlags.Sub or LazyFlags.SubWithBorrow => (((~lazyA & lazyB) | ((~lazyA | lazyB) & lazyResult)) >> sign) & 1,
            LazyFlags.Logic => 0,
            _ => flagBits & RFlags.CF,
        };
    }

    private void Materialize()
    {
        ulong status = lazyKind switch
        {
            LazyFlags.Add => AddStatus(lazyA, lazyB, lazyResult, lazySize),
            LazyFlags.Sub or LazyFlags.SubWithBorrow => SubStatus(lazyA, lazyB, lazyResult, lazySize),
            LazyFlags.Increment => (AddStatus(lazyA, 1, lazyResult, lazySize) & ~RFlags.CF) | (flagBits & RFlags.CF),
            LazyFlags.Decrement => (SubStatus(lazyA, 1, lazyResult, lazySize) & ~RFlags.CF) | (flagBits & RFlags.CF),
            _ => ResultFlags(lazyResult, lazySize),
        };
        flagBits = (flagBits & ~RFlags.Status) | status;
        lazyKind = LazyFlags.None;
    }

    /// <summary>Evaluates a condition code in Iced's <c>ConditionCode</c> numbering (o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Condition(byte code)
    {
        if (lazyKind == LazyFlags.Sub)
        {
            ulong mask = SizeMask(lazySize);
            ulong a = lazyA & mask, b = lazyB & mask;
            int shift = 64 - (lazySize * 8);
            long sa = (long)(a << shift), sb = (long)(b << shift);
            switch (code)
            {
                case 3: return a < b;
                case 4: return a >= b;
                case 5: return a == b;
                case 6: return a != b;
                case 7: return a <= b;
                case 8: return a > b;
                case 13: return sa < sb;
                case 14: return sa >= sb;
                case 15: return sa <= sb;
                case 16: return sa > sb;
            }
        }
        else if (lazyKind == LazyFlags.Logic)
        {
            ulong result = lazyResult & SizeMask(lazySize);
            bool sign = ((result >> SignShift(lazySize)) & 1) != 0;
            switch (code)
            {
                case 5: return result == 0;
                case 6: return result != 0;
                case 9: return sign;
                case 10: return !sign;
                case 13: return sign;
                case 14: return !sign;
                case 15: return result == 0 || sign;
                case 16: return result != 0 && !sign;
            }
        }

        return ConditionFromFlags(code, Rflags);
    }

    private static bool ConditionFromFlags(byte code, ulong f) => code switch
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
