namespace KmlSim.Execution;

/// <summary>Comparison, partial remainder, scaling and exponent extraction.</summary>
internal static partial class Float80Math
{
    /// <summary>
    /// Compares a with b. <paramref name="quietNaNsSignal"/> selects FCOM semantics (any NaN raises IE) over
    /// FUCOM semantics (only an SNaN does); unsupported encodings always raise IE.
    /// </summary>
    public static FpuComparison Compare(Float80 a, Float80 b, bool quietNaNsSignal, ref FpuExceptions flags)
    {
        if (a.IsUnsupported || b.IsUnsupported || a.IsNaN || b.IsNaN)
        {
            if (quietNaNsSignal || a.IsUnsupported || b.IsUnsupported || a.IsSignalingNaN || b.IsSignalingNaN)
            {
                flags |= FpuExceptions.Invalid;
            }

            return FpuComparison.Unordered;
        }

        if (a.IsDenormal || b.IsDenormal)
        {
            flags |= FpuExceptions.Denormal;
        }

        if (a.IsZero && b.IsZero)
        {
            return FpuComparison.Equal;
        }

        if (a.Negative != b.Negative)
        {
            return a.Negative ? FpuComparison.Less : FpuComparison.Greater;
        }

        int magnitude = CompareMagnitude(a, b);
        if (magnitude == 0)
        {
            return FpuComparison.Equal;
        }

        return (magnitude > 0) != a.Negative ? FpuComparison.Greater : FpuComparison.Less;
    }

    /// <summary>Orders |a| and |b| (supported, non-NaN values; infinities largest).</summary>
    private static int CompareMagnitude(Float80 a, Float80 b)
    {
        if (a.IsZero || b.IsZero)
        {
            return a.IsZero ? (b.IsZero ? 0 : -1) : 1;
        }

        int ea = a.Normalized(out ulong sa);
        int eb = b.Normalized(out ulong sb);
        return ea != eb ? ea.CompareTo(eb) : sa.CompareTo(sb);
    }

    /// <summary>
    /// FPREM (<paramref name="roundToNearest"/> false: quotient truncated, the 8087 remainder) or FPREM1
    /// (IEEE remainder) of a by b. The result is exact. When the exponents differ by 64 or more, only a
    /// partial reduction is done (see below) and
    /// <paramref name="incomplete"/> is set: software loops while C2 is 1. <paramref name="quotient"/>
    /// holds the low bits of the quotient for C0, C3, C1.
    /// </summary>
    public static Float80 Remainder(Float80 a, Float80 b, bool roundToNearest, ref FpuExceptions flags, out bool incomplete, out ulong quotient)
    {
        incomplete = false;
        quotient = 0;
        if (PropagateNaN(a, b, ref flags, out Float80 special))
        {
            return special;
        }

        if (a.IsInfinity || b.IsZero)
        {
            flags |= FpuExceptions.Invalid;
            return Float80.Indefinite;
        }

        if (a.IsZero || b.IsInfinity)
        {
            return a;
        }

        int ea = a.Normalized(out ulong sa);
        int eb = b.Normalized(out ulong sb);
        int difference = ea - eb;
        if (difference >= 64)
        {
            // Partial step: reduce by b * 2^(difference - n), truncating, for both forms. The architecture
            // allows any n in 32..63; the hardware (checked against the host) uses n = 32 + difference mod 32,
            // which also fixes the intermediate values a loop of FPREMs produces.
            incomplete = true;
            int n = (difference & 31) | 32;
            eb += difference - n;
            difference = n;
            roundToNearest = false;
        }

        if (difference < -1 || (difference == -1 && !roundToNearest))
        {
            return a;
        }

        // Work one bit below b's last bit so that FPREM1's half-way test is an integer comparison.
        UInt128 numerator = (UInt128)sa << (difference + 1);
        UInt128 divisor = (UInt128)sb << 1;
        UInt128 q = numerator / divisor;
        UInt128 rest = numerator % divisor;
        bool negative = a.Negative;
        if (roundToNearest && ((rest << 1) > divisor || ((rest << 1) == divisor && (q & UInt128.One) != UInt128.Zero)))
        {
            rest = divisor - rest;
            q++;
            negative = !negative;
        }

        quotient = (ulong)q;
        if (rest == UInt128.Zero)
        {
            return Float80.Zero(a.Negative);
        }

        // rest is scaled by 2^(eb - Bias - 64); the result is exact, so rounding never changes it.
        FpuExceptions exact = FpuExceptions.None;
        Float80 result = NormalizeRoundPack(negative, eb + 63, rest, 64, FpuRounding.Nearest, ref exact);
        flags |= exact & FpuExceptions.Underflow;
        return result;
    }

    /// <summary>FSCALE: a × 2^trunc(b), rounded only when the result leaves the normal range.</summary>
    public static Float80 Scale(Float80 a, Float80 b, FpuRounding rounding, ref FpuExceptions flags)
    {
        if (PropagateNaN(a, b, ref flags, out Float80 special))
        {
            return special;
        }

        if (b.IsInfinity)
        {
            bool invalid = b.Negative ? a.IsInfinity : a.IsZero;
            if (invalid)
            {
                flags |= FpuExceptions.Invalid;
                return Float80.Indefinite;
            }

            return a.IsZero || a.IsInfinity ? a : b.Negative ? Float80.Zero(a.Negative) : Float80.Infinity(a.Negative);
        }

        if (a.IsZero || a.IsInfinity)
        {
            return a;
        }

        // |trunc(b)| beyond 2^20 already over- or underflows any operand, so clamp it to keep int arithmetic.
        int eb = b.IsZero ? 0 : b.Normalized(out _) - Float80.Bias;
        int scale = 0;
        if (!b.IsZero && eb >= 0)
        {
            scale = eb > 20 ? 1 << 21 : (int)(b.Significand >> (63 - eb));
            scale = b.Negative ? -scale : scale;
        }

        int ea = a.Normalized(out ulong sa);
        return RoundPack(a.Negative, ea + scale, sa, 0, 64, rounding, ref flags);
    }

    /// <summary>FXTRACT: splits a into its unbiased exponent and its significand scaled to [1, 2).</summary>
    public static (Float80 Exponent, Float80 Significand) Extract(Float80 a, ref FpuExceptions flags)
    {
        if (PropagateNaN(a, a, ref flags, out Float80 special))
        {
            return (special, special);
        }

        if (a.IsZero)
        {
            flags |= FpuExceptions.ZeroDivide;
            return (Float80.Infinity(true), a);
        }

        if (a.IsInfinity)
        {
            return (Float80.Infinity(false), a);
        }

        int exponent = a.Normalized(out ulong significand);
        return (Float80.FromInt64(exponent - Float80.Bias), new Float80(a.Negative, Float80.Bias, significand));
    }
}
