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
    /// <summary>Compares two lanes with a CMPxx predicate; true means the all-ones mask.</summary>
    public static bool Predicate<TFormat>(ulong a, ulong b, int predicate, uint mxcsr, ref uint flags)
        where TFormat : ISseFormat
    {
        bool unordered = Classify<TFormat>(ref a, ref b, IsSignalingPredicate(predicate), mxcsr, ref flags);
        return Evaluate(TFormat.ToDouble(a), TFormat.ToDouble(b), unordered, predicate);
    }

    /// <summary>COMISx/UCOMISx: ZF, PF, CF as unordered 1,1,1 / less 0,0,1 / equal 1,0,0 / greater 0,0,0.</summary>
    public static ulong OrderFlags<TFormat>(ulong a, ulong b, bool signaling, uint mxcsr, ref uint flags)
        where TFormat : ISseFormat
    {
        bool unordered = Classify<TFormat>(ref a, ref b, signaling, mxcsr, ref flags);
        return OrderFlags(TFormat.ToDouble(a), TFormat.ToDouble(b), unordered);
    }

    private static bool IsSignalingPredicate(int predicate) => (predicate & 3) is 1 or 2;

    /// <summary>
    /// Applies DAZ to both operands and accumulates IE for a NaN (any NaN when the comparison signals, else a
    /// signaling one) or DE for a denormal of an ordered pair; returns whether the pair is unordered.
    /// </summary>
    private static bool Classify<TFormat>(ref ulong a, ref ulong b, bool signalsOnQuiet, uint mxcsr, ref uint flags)
        where TFormat : ISseFormat
    {
        a = DenormalToZero<TFormat>(a, mxcsr);
        b = DenormalToZero<TFormat>(b, mxcsr);
        bool unordered = TFormat.IsNaN(a) || TFormat.IsNaN(b);
        if (unordered)
        {
            if (signalsOnQuiet || IsSignaling<TFormat>(a) || IsSignaling<TFormat>(b))
            {
                flags |= MxcsrBits.Invalid;
            }
        }
        else if (TFormat.IsDenormal(a) || TFormat.IsDenormal(b))
        {
            flags |= MxcsrBits.Denormal;
        }

        return unordered;
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
