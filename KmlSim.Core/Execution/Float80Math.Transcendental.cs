using System.Numerics;

namespace KmlSim.Execution;

/// <summary>
/// The x87 transcendental functions F2XM1, FYL2X, FYL2XP1 and FPATAN (and the rounding the trigonometric
/// ones share), with the special cases of the AMD64 APM vol. 5 instruction pages.
/// <para>
/// Accuracy: each function is evaluated in <see cref="WideFloat"/> arithmetic at 160 bits or more and
/// rounded once to 64 bits under the rounding control (transcendentals ignore the precision control, as
/// the architecture specifies and the host confirms). A result whose rounding the working precision cannot
/// decide (the evaluation error, at most 2^16 units of its last bit, straddles a rounding boundary) is
/// evaluated again at twice the precision, up to <see cref="WideMath.MaxPrecision"/> bits; so results are
/// correctly rounded (error at most 0.5 ulp to nearest, under 1 ulp in the directed modes) except for an
/// input whose exact result lies within about 2^-620 relative of a boundary (none is known), where it is
/// still within 1 ulp. Checked against 600-bit mpmath evaluations of the 1352 inputs of the host table:
/// at most 0.4992 ulp to nearest, below 1 ulp directed, and C1 always names the true rounding direction.
/// The hardware is not correctly rounded (the host CPU is off by up to 0.53 ulp to nearest and 1.03 ulp in
/// the directed modes against the exact values; AMD documents about 1 ulp), so where it differs from the
/// correctly rounded result, its bit pattern is not reproduced: the simulator agrees within 1 ulp.
/// </para>
/// <para>
/// Two hardware behaviours are reproduced on purpose: every computed finite non-zero result reports PE,
/// even an exact one (FYL2X of a power of two, F2XM1 of ±1), as the host does; and tininess for UE is
/// judged after rounding, so a result that rounds up to the smallest normal is not an underflow.
/// </para>
/// These paths allocate (BigInteger): they are rare instructions, each costing microseconds anyway.
/// </summary>
internal static partial class Float80Math
{
    /// <summary>The first working precision, in bits.</summary>
    private const int TranscendentalPrecision = 160;

    /// <summary>log2 of the assumed evaluation error bound, in units of the working precision's last bit.</summary>
    private const int TranscendentalErrorBits = 16;

    /// <summary>1.0.</summary>
    private static Float80 One => new(false, Float80.Bias, Float80.IntegerBit);

    /// <summary>
    /// Evaluates <paramref name="evaluate"/> (a function of the working precision returning an approximation
    /// of an irrational result) at increasing precision until its rounding is decided, then rounds it to
    /// 64 bits, reporting PE (and C1, UE, OE).
    /// </summary>
    private static Float80 RoundTranscendental(Func<int, WideFloat> evaluate, FpuRounding rounding, ref FpuExceptions flags)
    {
        int precision = TranscendentalPrecision;
        WideFloat value = evaluate(precision);
        while (!RoundingDecided(value) && precision * 2 <= WideMath.MaxPrecision)
        {
            precision *= 2;
            value = evaluate(precision);
        }

        return RoundWide(value, rounding, ref flags);
    }

    /// <summary>Whether every value within the error bound of <paramref name="value"/> rounds the same way in every mode.</summary>
    private static bool RoundingDecided(WideFloat value)
    {
        BigInteger magnitude = BigInteger.Abs(value.Significand);
        int length = (int)magnitude.GetBitLength();
        int exponent = value.Exponent + length - 1 + Float80.Bias;
        int kept = Math.Max(64 - Math.Max(0, 1 - exponent), 0); // a denormal result keeps fewer bits
        int drop = length - kept;
        if (drop < TranscendentalErrorBits + 2)
        {
            return false;
        }

        // Rounding boundaries (representable values and midpoints) are the multiples of 2^(drop - 1).
        BigInteger unit = BigInteger.One << (drop - 1);
        BigInteger rest = magnitude & (unit - 1);
        BigInteger distance = BigInteger.Min(rest, unit - rest);
        return distance > (BigInteger.One << TranscendentalErrorBits);
    }

    /// <summary>Rounds an inexact approximation to 64 bits (the bits beyond 128 and the inexactness become the sticky bit).</summary>
    private static Float80 RoundWide(WideFloat value, FpuRounding rounding, ref FpuExceptions flags)
    {
        bool negative = value.IsNegative;
        BigInteger magnitude = BigInteger.Abs(value.Significand);
        int length = (int)magnitude.GetBitLength();
        int exponent = value.Exponent + length - 1 + Float80.Bias;
        UInt128 top = (UInt128)(length >= 128 ? magnitude >> (length - 128) : magnitude << (128 - length));
        ulong hi = (ulong)(top >> 64);
        ulong lo = (ulong)top | 1;
        FpuExceptions before = flags;
        Float80 result = RoundPack(negative, exponent, hi, lo, 64, rounding, ref flags);
        if ((flags & ~before & FpuExceptions.Underflow) != 0 && result.Exponent == 1 && result.Significand == Float80.IntegerBit)
        {
            // Tiny before rounding but not after (rounded with an unbounded exponent it reaches the smallest
            // normal): the host reports no UE then, e.g. FSIN of the smallest normal.
            FpuExceptions scratch = FpuExceptions.None;
            if (RoundPack(negative, exponent + 1, hi, lo, 64, rounding, ref scratch).Exponent == 2)
            {
                flags &= ~FpuExceptions.Underflow;
            }
        }

        return result;
    }

    /// <summary>
    /// An exactly computed result of a transcendental instruction: PE is reported all the same (see the class
    /// remarks), and so UE for a denormal result, as the host does.
    /// </summary>
    private static Float80 ReportInexact(Float80 result, ref FpuExceptions flags)
    {
        if (result.IsFiniteNonZero)
        {
            flags |= FpuExceptions.Precision | (result.Exponent == 0 ? FpuExceptions.Underflow : 0);
        }

        return result;
    }

    /// <summary>Whether a finite non-zero value is an integer power of two (its normalised significand is the integer bit alone).</summary>
    private static bool IsPowerOfTwo(Float80 value)
    {
        value.Normalized(out ulong significand);
        return significand == Float80.IntegerBit;
    }

    /// <summary>
    /// F2XM1: 2^x − 1, defined for −1 ≤ x ≤ 1. Outside that domain (undefined by the architecture) the
    /// exact value is still computed: −∞ gives −1 and +∞ gives +∞.
    /// </summary>
    public static Float80 TwoToXMinusOne(Float80 x, FpuRounding rounding, ref FpuExceptions flags)
    {
        if (PropagateNaN(x, x, ref flags, out Float80 special))
        {
            return special;
        }

        if (x.IsZero)
        {
            return x;
        }

        if (x.IsInfinity)
        {
            return x.Negative ? One.Negate() : x;
        }

        int e = x.Normalized(out ulong significand) - Float80.Bias;
        if (e >= 0 && (e >= 63 || significand << (e + 1) == 0))
        {
            // An integer n: 2^n − 1 is one exactly rounded addition (2^n clamped where that changes nothing).
            if (!x.Negative && e >= 14)
            {
                return Overflow(false, 64, rounding, ref flags);
            }

            int n = e >= 14 ? 1 - Float80.Bias : (int)(significand >> (63 - e)) * (x.Negative ? -1 : 1);
            Float80 power = new(false, Float80.Bias + Math.Max(n, 1 - Float80.Bias), Float80.IntegerBit);
            return ReportInexact(Add(power, One, subtract: true, 64, rounding, ref flags), ref flags);
        }

        if (e >= 0)
        {
            // Beyond [−128.5, 16400.5] the rounded result (−1 or an overflow) no longer changes: clamp there.
            x = x.Negative && e >= 7 ? new Float80(true, Float80.Bias + 7, 0x8080_0000_0000_0000)
                : !x.Negative && e >= 14 ? new Float80(false, Float80.Bias + 14, 0x8021_0000_0000_0000)
                : x;
            e = x.Normalized(out significand) - Float80.Bias;
        }

        // |x| > 1: 2^x − 1 = 2^n (e^(f ln 2) − 1) + 2^n − 1 with n = round(x), |f| ≤ 1/2.
        int rounded = e < 0 ? 0 : (int)(significand >> (63 - e)) + (int)((significand >> (62 - e)) & 1);
        int nearest = x.Negative ? -rounded : rounded;
        return RoundTranscendental(
            p =>
            {
                WideFloat z = (WideFloat.From(x, p) - WideFloat.Integer(nearest, p)) * WideMath.Ln2(p);
                if (nearest == 0)
                {
                    return WideMath.ExpMinusOne(z);
                }

                WideFloat one = WideFloat.Integer(1, p);
                return (WideMath.ExpMinusOne(z) + one).Scale(nearest) - one;
            },
            rounding,
            ref flags);
    }

    /// <summary>
    /// FYL2X: y × log2(x). x &lt; 0 is invalid; x = ±0 gives ∓∞ × sign(y) with ZE (invalid for y = 0);
    /// the remaining special cases are those of the product y × log2(x).
    /// </summary>
    public static Float80 YLog2X(Float80 y, Float80 x, FpuRounding rounding, ref FpuExceptions flags)
    {
        if (PropagateNaN(x, y, ref flags, out Float80 special))
        {
            return special;
        }

        if (x.Negative && !x.IsZero)
        {
            flags |= FpuExceptions.Invalid;
            return Float80.Indefinite;
        }

        if (x.IsZero)
        {
            if (y.IsZero)
            {
                flags |= FpuExceptions.Invalid;
                return Float80.Indefinite;
            }

            if (!y.IsInfinity)
            {
                // The host reports ZE alone here, even for a denormal y.
                flags = (flags & ~FpuExceptions.Denormal) | FpuExceptions.ZeroDivide;
            }

            return Float80.Infinity(!y.Negative);
        }

        if (x.IsInfinity)
        {
            return Multiply(y, x, 64, rounding, ref flags);
        }

        if (IsPowerOfTwo(x))
        {
            // log2(x) is the integer exponent: one exactly rounded product (y × 0 included).
            return ReportInexact(Multiply(y, Float80.FromInt64(x.Normalized(out _) - Float80.Bias), 64, rounding, ref flags), ref flags);
        }

        bool logNegative = x.Normalized(out _) < Float80.Bias;
        if (y.IsZero || y.IsInfinity)
        {
            return y.IsZero ? Float80.Zero(y.Negative != logNegative) : Float80.Infinity(y.Negative != logNegative);
        }

        return RoundTranscendental(
            p => WideFloat.From(y, p) * WideMath.Log(WideFloat.From(x, p)) / WideMath.Ln2(p),
            rounding,
            ref flags);
    }

    /// <summary>
    /// FYL2XP1: y × log2(1 + x), defined for |x| &lt; 1 − √2/2, where ln(1 + x) = 2 atanh(x / (2 + x)) keeps
    /// full relative accuracy for tiny x. Outside the domain (undefined by the architecture) it computes the
    /// same function, with FYL2X's rules for 1 + x ≤ 0.
    /// </summary>
    public static Float80 YLog2XPlusOne(Float80 y, Float80 x, FpuRounding rounding, ref FpuExceptions flags)
    {
        if (PropagateNaN(x, y, ref flags, out Float80 special))
        {
            return special;
        }

        if (x.IsZero)
        {
            return Multiply(y, x, 64, rounding, ref flags);
        }

        if (x.Negative && CompareMagnitude(x, One) >= 0)
        {
            FpuExceptions ignored = FpuExceptions.None;
            return YLog2X(y, Add(x, One, subtract: false, 64, rounding, ref ignored), rounding, ref flags);
        }

        if (x.IsInfinity || y.IsZero || y.IsInfinity)
        {
            return Multiply(y, x, 64, rounding, ref flags);
        }

        return RoundTranscendental(
            p =>
            {
                WideFloat wideX = WideFloat.From(x, p);
                WideFloat one = WideFloat.Integer(1, p);
                WideFloat log = x.Normalized(out _) - Float80.Bias < -2
                    ? WideMath.Atanh(wideX / (WideFloat.Integer(2, p) + wideX)).Scale(1)
                    : WideMath.Log(one + wideX);
                return WideFloat.From(y, p) * log / WideMath.Ln2(p);
            },
            rounding,
            ref flags);
    }

    /// <summary>
    /// FPATAN: the angle of the point (x, y) in (−π, π], with the quadrant rules of the APM table: the sign
    /// follows y (zeros included); y = ±0 gives ±0 for x ≥ +0 and ±π for x ≤ −0; x = ±0 gives ±π/2;
    /// infinities give the multiples of π/4. No operand pair is invalid except NaNs and unsupported encodings.
    /// </summary>
    public static Float80 Arctangent(Float80 y, Float80 x, FpuRounding rounding, ref FpuExceptions flags)
    {
        if (PropagateNaN(x, y, ref flags, out Float80 special))
        {
            return special;
        }

        if (y.IsZero && !x.Negative)
        {
            return y;
        }

        // Angles that are multiples of π/4 (as eighths of a turn, before the sign of y).
        int quarterPis = y.IsZero ? 4
            : x.IsZero ? 2
            : y.IsInfinity ? (x.IsInfinity ? (x.Negative ? 3 : 1) : 2)
            : x.IsInfinity ? (x.Negative ? 4 : 0)
            : -1;
        if (quarterPis == 0)
        {
            return Float80.Zero(y.Negative);
        }

        return RoundTranscendental(
            p =>
            {
                WideFloat angle;
                if (quarterPis > 0)
                {
                    angle = WideMath.Pi(p) * WideFloat.Integer(quarterPis, p) / 4;
                }
                else
                {
                    WideFloat wideY = WideFloat.From(y, p).Abs();
                    WideFloat wideX = WideFloat.From(x, p).Abs();
                    bool steep = CompareMagnitude(y, x) > 0;
                    angle = WideMath.Atan(steep ? wideX / wideY : wideY / wideX);
                    angle = steep ? WideMath.Pi(p).Scale(-1) - angle : angle;
                    angle = x.Negative ? WideMath.Pi(p) - angle : angle;
                }

                return y.Negative ? -angle : angle;
            },
            rounding,
            ref flags);
    }
}
