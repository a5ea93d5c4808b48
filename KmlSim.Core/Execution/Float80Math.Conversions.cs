using System.Numerics;

namespace KmlSim.Execution;

/// <summary>Conversions between the extended format and the single, double and integer memory formats.</summary>
internal static partial class Float80Math
{
    /// <summary>Widens an IEEE single (exact; an SNaN raises IE and becomes quiet).</summary>
    public static Float80 FromSingle(uint bits, ref FpuExceptions flags) =>
        FromBinary(bits, 23, 8, ref flags);

    /// <summary>Widens an IEEE double (exact; an SNaN raises IE and becomes quiet).</summary>
    public static Float80 FromDouble(ulong bits, ref FpuExceptions flags) =>
        FromBinary(bits, 52, 11, ref flags);

    private static Float80 FromBinary(ulong bits, int fractionBits, int exponentBits, ref FpuExceptions flags)
    {
        bool negative = (bits >> (fractionBits + exponentBits)) != 0;
        int maxExponent = (1 << exponentBits) - 1;
        int bias = maxExponent >> 1;
        int exponent = (int)(bits >> fractionBits) & maxExponent;
        ulong fraction = bits & ((1UL << fractionBits) - 1);
        ulong aligned = fraction << (63 - fractionBits);
        if (exponent == maxExponent)
        {
            if (fraction == 0)
            {
                return Float80.Infinity(negative);
            }

            if ((aligned & Float80.QuietBit) == 0)
            {
                flags |= FpuExceptions.Invalid;
            }

            return new Float80(negative, Float80.MaxExponent, Float80.IntegerBit | Float80.QuietBit | aligned);
        }

        if (exponent == 0)
        {
            if (fraction == 0)
            {
                return Float80.Zero(negative);
            }

            flags |= FpuExceptions.Denormal;
            int shift = BitOperations.LeadingZeroCount(aligned);
            return new Float80(negative, Float80.Bias - bias + 1 - shift, aligned << shift);
        }

        return new Float80(negative, exponent - bias + Float80.Bias, Float80.IntegerBit | aligned);
    }

    /// <summary>Narrows to an IEEE single under the rounding control (FST m32).</summary>
    public static uint ToSingle(Float80 value, FpuRounding rounding, ref FpuExceptions flags) =>
        (uint)ToBinary(value, 23, 8, rounding, ref flags);

    /// <summary>Narrows to an IEEE double under the rounding control (FST m64).</summary>
    public static ulong ToDouble(Float80 value, FpuRounding rounding, ref FpuExceptions flags) =>
        ToBinary(value, 52, 11, rounding, ref flags);

    private static ulong ToBinary(Float80 value, int fractionBits, int exponentBits, FpuRounding rounding, ref FpuExceptions flags)
    {
        int maxExponent = (1 << exponentBits) - 1;
        int bias = maxExponent >> 1;
        ulong fractionMask = (1UL << fractionBits) - 1;
        ulong sign = value.Negative ? 1UL << (fractionBits + exponentBits) : 0;
        ulong infinity = (ulong)maxExponent << fractionBits;
        ulong quiet = 1UL << (fractionBits - 1);
        if (value.IsUnsupported)
        {
            flags |= FpuExceptions.Invalid;
            return (1UL << (fractionBits + exponentBits)) | infinity | quiet;
        }

        if (value.IsNaN)
        {
            if (value.IsSignalingNaN)
            {
                flags |= FpuExceptions.Invalid;
            }

            return sign | infinity | quiet | ((value.Significand >> (63 - fractionBits)) & fractionMask);
        }

        if (value.IsInfinity)
        {
            return sign | infinity;
        }

        if (value.IsZero)
        {
            return sign;
        }

        // No DE here: the host reports none for FST of an extended denormal (only arithmetic reports it).
        int exponent = value.Normalized(out ulong significand) - Float80.Bias + bias;
        if (exponent >= 1)
        {
            ulong kept = RoundBits(significand, 0, 63 - fractionBits, value.Negative, rounding, ref flags, out _);
            if (kept >> (fractionBits + 1) != 0)
            {
                kept >>= 1;
                exponent++;
            }

            if (exponent >= maxExponent)
            {
                return sign | NarrowOverflow(value.Negative, rounding, infinity, fractionMask, ref flags);
            }

            return sign | ((ulong)exponent << fractionBits) | (kept & fractionMask);
        }

        // Subnormal in the narrow format: fewer significand bits survive. A carry into the exponent field
        // yields the smallest normal, which is exactly the right encoding.
        FpuExceptions before = flags;
        ulong subnormal = RoundBits(significand, 0, 63 - fractionBits + 1 - exponent, value.Negative, rounding, ref flags, out _);
        if ((flags & ~before & FpuExceptions.Precision) != 0)
        {
            flags |= FpuExceptions.Underflow;
        }

        return sign | subnormal;
    }

    private static ulong NarrowOverflow(bool negative, FpuRounding rounding, ulong infinity, ulong fractionMask, ref FpuExceptions flags) =>
        MaskedOverflowIsInfinite(negative, rounding, ref flags) ? infinity : (infinity - (fractionMask + 1)) | fractionMask;

    /// <summary>
    /// Converts to a signed integer of <paramref name="bits"/> bits under the rounding control (FIST/FISTP).
    /// NaNs, infinities and out-of-range values raise IE and give the "integer indefinite" 1 &lt;&lt; (bits - 1).
    /// </summary>
    public static ulong ToInteger(Float80 value, int bits, FpuRounding rounding, ref FpuExceptions flags)
    {
        ulong indefinite = 1UL << (bits - 1);
        if (value.IsZero)
        {
            return 0;
        }

        if (!value.IsFiniteNonZero)
        {
            flags |= FpuExceptions.Invalid;
            return indefinite;
        }

        int e = value.Normalized(out ulong significand) - Float80.Bias;
        if (e >= 64)
        {
            flags |= FpuExceptions.Invalid;
            return indefinite;
        }

        FpuExceptions rounded = flags | (value.IsDenormal ? FpuExceptions.Denormal : 0);
        ulong magnitude = RoundBits(significand, 0, 63 - e, value.Negative, rounding, ref rounded, out _);
        ulong limit = value.Negative ? indefinite : indefinite - 1;
        if (magnitude > limit)
        {
            flags |= FpuExceptions.Invalid;
            return indefinite;
        }

        flags = rounded;
        return (value.Negative ? 0 - magnitude : magnitude) & (bits == 64 ? ulong.MaxValue : (1UL << bits) - 1);
    }

    /// <summary>Rounds to an integral value in the extended format under the rounding control (FRNDINT).</summary>
    public static Float80 RoundToIntegral(Float80 value, FpuRounding rounding, ref FpuExceptions flags)
    {
        if (PropagateNaN(value, value, ref flags, out Float80 special))
        {
            return special;
        }

        if (!value.IsFiniteNonZero)
        {
            return value;
        }

        int e = value.Normalized(out ulong significand) - Float80.Bias;
        if (e >= 63)
        {
            return value;
        }

        ulong magnitude = RoundBits(significand, 0, 63 - e, value.Negative, rounding, ref flags, out _);
        if (magnitude == 0)
        {
            return Float80.Zero(value.Negative);
        }

        int shift = BitOperations.LeadingZeroCount(magnitude);
        return new Float80(value.Negative, Float80.Bias + 63 - shift, magnitude << shift);
    }
}
