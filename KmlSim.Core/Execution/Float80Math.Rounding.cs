using System.Runtime.CompilerServices;

namespace KmlSim.Execution;

/// <summary>
/// Software IEEE arithmetic on <see cref="Float80"/>, with the x87's rounding control, precision control
/// and masked exception responses (AMD64 APM vol. 1, §6.4; the structure follows Berkeley SoftFloat's
/// extF80 routines). Every result is computed exactly and rounded once, so results are bit-identical
/// to the hardware for the operations implemented here.
/// </summary>
internal static partial class Float80Math
{
    /// <summary>
    /// Rounds the fixed-point value <c>(hi + lo / 2^64) / 2^drop</c> to an integer under <paramref name="rounding"/>,
    /// noting inexactness (and whether the magnitude went up) in <paramref name="flags"/>. <paramref name="wrapped"/>
    /// is set when <paramref name="drop"/> is 0 and rounding up overflowed 64 bits (the result is then 2^64).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong RoundBits(ulong hi, ulong lo, int drop, bool negative, FpuRounding rounding, ref FpuExceptions flags, out bool wrapped)
    {
        ulong kept;
        bool half;
        bool sticky;
        if (drop == 0)
        {
            kept = hi;
            half = lo >> 63 != 0;
            sticky = (lo << 1) != 0;
        }
        else if (drop < 64)
        {
            kept = hi >> drop;
            half = ((hi >> (drop - 1)) & 1) != 0;
            sticky = (hi & ((1UL << (drop - 1)) - 1)) != 0 || lo != 0;
        }
        else
        {
            kept = 0;
            half = drop == 64 && hi >> 63 != 0;
            sticky = (drop == 64 ? hi << 1 : hi) != 0 || lo != 0;
        }

        wrapped = false;
        if (!half && !sticky)
        {
            return kept;
        }

        flags |= FpuExceptions.Precision;
        bool up = rounding switch
        {
            FpuRounding.Nearest => half && (sticky || (kept & 1) != 0),
            FpuRounding.Down => negative,
            FpuRounding.Up => !negative,
            _ => false,
        };
        if (!up)
        {
            return kept;
        }

        flags |= FpuExceptions.RoundedUp;
        wrapped = kept == ulong.MaxValue;
        return kept + 1;
    }

    /// <summary>
    /// Rounds and packs <c>(hi:lo) / 2^127 * 2^(exponent - Bias)</c> (hi normalised, bit 63 set) to
    /// <paramref name="precision"/> significand bits (24, 53 or 64: the precision-control field) in the
    /// extended exponent range, with masked overflow/underflow responses.
    /// </summary>
    public static Float80 RoundPack(bool negative, int exponent, ulong hi, ulong lo, int precision, FpuRounding rounding, ref FpuExceptions flags)
    {
        int drop = 64 - precision;
        if (exponent <= 0)
        {
            // Tiny: denormalise first (the exponent field becomes 0), then round at the same bit position.
            ShiftRightJam(ref hi, ref lo, 1 - exponent);
            FpuExceptions before = flags;
            ulong denormal = RoundBits(hi, lo, drop, negative, rounding, ref flags, out _) << drop;
            if ((flags & ~before & FpuExceptions.Precision) != 0)
            {
                flags |= FpuExceptions.Underflow;
            }

            // Rounding up into bit 63 gives the smallest normal, whose exponent field is 1.
            return new Float80(negative, (int)(denormal >> 63), denormal);
        }

        ulong kept = RoundBits(hi, lo, drop, negative, rounding, ref flags, out bool wrapped);
        ulong significand;
        if (wrapped || (drop != 0 && kept >> (64 - drop) != 0))
        {
            exponent++;
            significand = Float80.IntegerBit;
        }
        else
        {
            significand = kept << drop;
        }

        return exponent >= Float80.MaxExponent ? Overflow(negative, precision, rounding, ref flags) : new Float80(negative, exponent, significand);
    }

    /// <summary>The masked overflow response: infinity, or the largest finite value when rounding goes toward zero.</summary>
    private static Float80 Overflow(bool negative, int precision, FpuRounding rounding, ref FpuExceptions flags) =>
        MaskedOverflowIsInfinite(negative, rounding, ref flags)
            ? Float80.Infinity(negative)
            : new Float80(negative, Float80.MaxExponent - 1, ulong.MaxValue << (64 - precision));

    /// <summary>
    /// Records a masked overflow (OE and PE) and says whether it delivers an infinity (C1 set: rounded up)
    /// rather than the largest finite value of the format, which depends on the rounding direction.
    /// </summary>
    private static bool MaskedOverflowIsInfinite(bool negative, FpuRounding rounding, ref FpuExceptions flags)
    {
        flags = (flags & ~FpuExceptions.RoundedUp) | FpuExceptions.Overflow | FpuExceptions.Precision;
        bool toInfinity = rounding switch
        {
            FpuRounding.Nearest => true,
            FpuRounding.Down => negative,
            FpuRounding.Up => !negative,
            _ => false,
        };
        if (toInfinity)
        {
            flags |= FpuExceptions.RoundedUp;
        }

        return toInfinity;
    }

    /// <summary>Shifts hi:lo right, ORing every bit shifted out into bit 0 (the sticky bit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ShiftRightJam(ref ulong hi, ref ulong lo, int shift)
    {
        if (shift <= 0)
        {
            return;
        }

        UInt128 value = new(hi, lo);
        UInt128 result = shift >= 128 ? UInt128.Zero : value >> shift;
        bool lost = shift >= 128 ? value != UInt128.Zero : (value & ((UInt128.One << shift) - 1)) != UInt128.Zero;
        hi = (ulong)(result >> 64);
        lo = (ulong)result | (lost ? 1UL : 0);
    }

    /// <summary>Packs an exact 128-bit magnitude scaled by <c>2^(exponent - Bias - 127)</c>, normalising it first.</summary>
    public static Float80 NormalizeRoundPack(bool negative, int exponent, UInt128 magnitude, int precision, FpuRounding rounding, ref FpuExceptions flags)
    {
        if (magnitude == UInt128.Zero)
        {
            return Float80.Zero(negative);
        }

        int shift = (int)UInt128.LeadingZeroCount(magnitude);
        magnitude <<= shift;
        return RoundPack(negative, exponent - shift, (ulong)(magnitude >> 64), (ulong)magnitude, precision, rounding, ref flags);
    }
}
