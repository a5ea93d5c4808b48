using KmlSim.Isa;
using static KmlSim.Execution.SseRounding;

namespace KmlSim.Execution;

/// <summary>
/// CMPPS/CMPPD/CMPSS/CMPSD predicates 0-7 and the COMIS/UCOMIS flag results, one lane at a time.
/// The predicates LT, LE, NLT, NLE (1, 2, 5, 6) and COMIS signal invalid on any NaN; EQ, UNORD, NEQ,
/// ORD (0, 3, 4, 7) and UCOMIS only on a signaling NaN (AMD64 APM vol. 4, CMPPS).
/// </summary>
internal static class SseComparison
{
    /// <summary>Compares two doubles with a CMPxx predicate; true means the all-ones mask.</summary>
    public static bool Predicate64(ulong a, ulong b, int predicate, uint mxcsr, ref uint flags)
    {
        a = DenormalToZero64(a, mxcsr);
        b = DenormalToZero64(b, mxcsr);
        bool unordered = IsNaN64(a) || IsNaN64(b);
        Classify(unordered, IsSignaling64(a) || IsSignaling64(b), IsDenormal64(a) || IsDenormal64(b), IsSignalingPredicate(predicate), ref flags);
        return Evaluate(BitConverter.UInt64BitsToDouble(a), BitConverter.UInt64BitsToDouble(b), unordered, predicate);
    }

    /// <summary>Compares two singles with a CMPxx predicate.</summary>
    public static bool Predicate32(uint a, uint b, int predicate, uint mxcsr, ref uint flags)
    {
        a = DenormalToZero32(a, mxcsr);
        b = DenormalToZero32(b, mxcsr);
        bool unordered = IsNaN32(a) || IsNaN32(b);
        Classify(unordered, IsSignaling32(a) || IsSignaling32(b), IsDenormal32(a) || IsDenormal32(b), IsSignalingPredicate(predicate), ref flags);
        return Evaluate(BitConverter.UInt32BitsToSingle(a), BitConverter.UInt32BitsToSingle(b), unordered, predicate);
    }

    /// <summary>COMISD/UCOMISD: ZF, PF, CF as unordered 1,1,1 / less 0,0,1 / equal 1,0,0 / greater 0,0,0.</summary>
    public static ulong OrderFlags64(ulong a, ulong b, bool signaling, uint mxcsr, ref uint flags)
    {
        a = DenormalToZero64(a, mxcsr);
        b = DenormalToZero64(b, mxcsr);
        bool unordered = IsNaN64(a) || IsNaN64(b);
        Classify(unordered, IsSignaling64(a) || IsSignaling64(b), IsDenormal64(a) || IsDenormal64(b), signaling, ref flags);
        return OrderFlags(BitConverter.UInt64BitsToDouble(a), BitConverter.UInt64BitsToDouble(b), unordered);
    }

    /// <summary>COMISS/UCOMISS.</summary>
    public static ulong OrderFlags32(uint a, uint b, bool signaling, uint mxcsr, ref uint flags)
    {
        a = DenormalToZero32(a, mxcsr);
        b = DenormalToZero32(b, mxcsr);
        bool unordered = IsNaN32(a) || IsNaN32(b);
        Classify(unordered, IsSignaling32(a) || IsSignaling32(b), IsDenormal32(a) || IsDenormal32(b), signaling, ref flags);
        return OrderFlags(BitConverter.UInt32BitsToSingle(a), BitConverter.UInt32BitsToSingle(b), unordered);
    }

    private static bool IsSignalingPredicate(int predicate) => (predicate & 3) is 1 or 2;

    /// <summary>IE for a NaN (any NaN when the comparison signals, else a signaling one); DE for a denormal of an ordered pair.</summary>
    private static void Classify(bool unordered, bool signalingNaN, bool denormal, bool signalsOnQuiet, ref uint flags)
    {
        if (unordered)
        {
            if (signalingNaN || signalsOnQuiet)
            {
                flags |= MxcsrBits.Invalid;
            }
        }
        else if (denormal)
        {
            flags |= MxcsrBits.Denormal;
        }
    }

    private static bool Evaluate(double x, double y, bool unordered, int predicate) => (predicate & 7) switch
    {
        0 => x == y,
        1 => x < y,
        2 => x <= y,
        3 => unordered,
        4 => !(x == y),
        5 => !(x < y),
        6 => !(x <= y),
        _ => !unordered,
    };

    private static ulong OrderFlags(double x, double y, bool unordered) =>
        unordered ? RFlags.ZF | RFlags.PF | RFlags.CF
        : x < y ? RFlags.CF
        : x == y ? RFlags.ZF
        : 0;
}
