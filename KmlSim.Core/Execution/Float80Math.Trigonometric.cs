using System.Numerics;

namespace KmlSim.Execution;

/// <summary>
/// FSIN, FCOS and FPTAN (FSINCOS is FSIN and FCOS). The argument is reduced as the hardware does it:
/// by multiples of π/2 with the x87's internal 66-bit π (0.C90FDAA2_2168C234_C × 2², Intel SDM vol. 1
/// §8.3.8; the host AMD CPU reduces with the same value, checked against its results). The reduction is
/// exact with that constant, and the function of the reduced argument is correctly rounded as in
/// <see cref="Float80Math.TwoToXMinusOne"/>. So results match the exact sine within 1 ulp only where the
/// reduction error does not matter: |x| ≤ π/4 (no reduction) and arguments not close to a multiple of π/2
/// nor huge; near a multiple of π/2 they reproduce the hardware's large relative error on purpose, since
/// that is what a guest running on a K8 sees.
/// </summary>
internal static partial class Float80Math
{
    /// <summary>The significand of π/2 as the x87 holds it: π/2 = <c>HardwareHalfPi × 2^-67</c>.</summary>
    private static readonly BigInteger HardwareHalfPi = BigInteger.Parse("0C90FDAA22168C234C", System.Globalization.NumberStyles.HexNumber);

    private const int HardwareHalfPiExponent = -67;

    /// <summary>|x| ≥ 2^63: the instructions leave the operand alone and set C2 (a finite value only).</summary>
    public static bool OutsideTrigRange(Float80 x) =>
        x.Exponent != Float80.MaxExponent && !x.IsUnsupported && x.Exponent - Float80.Bias >= 63;

    /// <summary>
    /// sin, cos or tan of x (|x| &lt; 2^63). ±0 gives ±0 (cos: +1) exactly; ±∞ is invalid. The sign of an odd
    /// function follows x.
    /// </summary>
    public static Float80 Trigonometric(TrigFunction function, Float80 x, FpuRounding rounding, ref FpuExceptions flags)
    {
        if (PropagateNaN(x, x, ref flags, out Float80 special))
        {
            return special;
        }

        if (x.IsInfinity)
        {
            flags |= FpuExceptions.Invalid;
            return Float80.Indefinite;
        }

        if (x.IsZero)
        {
            return function == TrigFunction.Cosine ? One : x;
        }

        return RoundTranscendental(
            p =>
            {
                (WideFloat reduced, int quadrant) = ReduceByHalfPi(x.Abs(), p);
                (WideFloat sin, WideFloat cos) = WideMath.SinCos(reduced);

                // sin and cos of |x| = reduced + quadrant × π/2.
                WideFloat sinAbs = quadrant switch { 0 => sin, 1 => cos, 2 => -sin, _ => -cos };
                WideFloat cosAbs = quadrant switch { 0 => cos, 1 => -sin, 2 => -cos, _ => sin };
                WideFloat result = function switch
                {
                    TrigFunction.Sine => sinAbs,
                    TrigFunction.Cosine => cosAbs,
                    _ => sinAbs / cosAbs,
                };
                return x.Negative && function != TrigFunction.Cosine ? -result : result;
            },
            rounding,
            ref flags);
    }

    /// <summary>
    /// Splits a finite positive x below 2^63 into x − k × π/2 (with the hardware's π, computed exactly, then
    /// kept to <paramref name="precision"/> bits) and k mod 4, k being the nearest integer to x / (π/2).
    /// </summary>
    private static (WideFloat Reduced, int Quadrant) ReduceByHalfPi(Float80 x, int precision)
    {
        int exponent = x.Normalized(out ulong significand) - Float80.Bias - 63; // x = significand × 2^exponent
        if (exponent < -64)
        {
            return (WideFloat.From(x, precision), 0); // below 1/2: no reduction
        }

        BigInteger numerator = significand;
        BigInteger denominator = HardwareHalfPi;
        int shift = exponent - HardwareHalfPiExponent;
        if (shift >= 0)
        {
            numerator <<= shift;
        }
        else
        {
            denominator <<= -shift;
        }

        BigInteger k = ((2 * numerator) + denominator) / (2 * denominator);
        int common = Math.Min(exponent, HardwareHalfPiExponent);
        BigInteger reduced = ((BigInteger)significand << (exponent - common)) - ((k * HardwareHalfPi) << (HardwareHalfPiExponent - common));
        return (WideFloat.Create(reduced, common, precision), (int)(k & 3));
    }
}
