using System.Numerics;
using System.Runtime.CompilerServices;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// Operand classification and the final rounding step shared by the SSE floating-point lanes.
/// Every operation first computes its round-to-nearest-even result on the host (the x86 result itself,
/// since the host is x86-64 and .NET never changes the host MXCSR) together with the sign of the exact
/// error (exact - rounded), which the callers obtain exactly (TwoSum, or a fused multiply-add on
/// operands scaled away from the underflow range). From those two the result in any MXCSR rounding mode
/// follows: a directed rounding differs from nearest-even by at most one step toward the exact value.
/// Known approximations (narrow windows, not met by the differential tests): (1) when the exact result lies
/// in [MAX + ulp/2, 2^emax+1), nearest-even overflows, and under a directed rounding that yields MAX the
/// hardware reports PE only, while this code also sets OE (the value returned is right); (2) tininess is
/// judged on the rounded result, so an exact result just below the smallest normal that rounds up to it is
/// not flagged UE (nor flushed by FZ), where x86, rounding to 53/24 bits with an unbounded exponent, would.
/// </summary>
internal static class SseRounding
{
    /// <summary>2^-1022, the smallest normal double.</summary>
    public const double SmallestNormal64 = 2.2250738585072014E-308;

    /// <summary>2^-126, the smallest normal single.</summary>
    public const float SmallestNormal32 = 1.17549435E-38f;

    /// <summary>MXCSR.RC value for round to nearest even.</summary>
    public const int Nearest = 0;

    /// <summary>MXCSR.RC value for round down (toward negative infinity).</summary>
    public const int Down = 1;

    /// <summary>MXCSR.RC value for round up (toward positive infinity).</summary>
    public const int Up = 2;

    /// <summary>MXCSR.RC value for round toward zero.</summary>
    public const int TowardZero = 3;

    /// <summary>The rounding-control field of MXCSR.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RoundingControl(uint mxcsr) => (int)(mxcsr >> MxcsrBits.RoundingShift) & 3;

    /// <summary>True for a signaling NaN (quiet bit clear).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsSignaling<TFormat>(ulong bits)
        where TFormat : ISseFormat => TFormat.IsNaN(bits) && (bits & TFormat.QuietBit) == 0;

    /// <summary>The biased exponent field of a double (0 for zeros and denormals).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BiasedExponent(double value) => (int)(BitConverter.DoubleToUInt64Bits(value) >> 52) & 0x7FF;

    /// <summary>MXCSR.DAZ: a denormal operand becomes a zero of the same sign.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong DenormalToZero<TFormat>(ulong bits, uint mxcsr)
        where TFormat : ISseFormat =>
        (mxcsr & MxcsrBits.DenormalsAreZero) != 0 && TFormat.IsDenormal(bits) ? bits & TFormat.SignBit : bits;

    /// <summary>-1, 0 or 1 (0 for a NaN, which the callers never pass).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Sign(double value) => value > 0 ? 1 : value < 0 ? -1 : 0;

    /// <summary>
    /// Turns the nearest-even result <paramref name="nearest"/> (a double or a single) and the sign of the
    /// exact error into the result in the MXCSR rounding mode, setting OE/UE/PE and applying MXCSR.FZ.
    /// <paramref name="overflowed"/> says the nearest-even result is an infinity from finite operands.
    /// </summary>
    public static T Finish<T>(T nearest, int error, bool overflowed, uint mxcsr, ref uint flags)
        where T : IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        int rc = RoundingControl(mxcsr);
        if (overflowed)
        {
            flags |= MxcsrBits.Overflow | MxcsrBits.Precision;
            return OverflowsToInfinity(nearest < T.Zero, rc) ? nearest : T.CopySign(T.MaxValue, nearest);
        }

        T result = nearest;
        if (error != 0)
        {
            flags |= MxcsrBits.Precision;
            result = Step(result, error, rc) switch
            {
                > 0 => T.BitIncrement(result),
                < 0 => T.BitDecrement(result),
                _ => result,
            };
            if (T.IsInfinity(result))
            {
                flags |= MxcsrBits.Overflow;
            }
        }

        if (T.Abs(result) < SmallestNormal<T>() && (error != 0 || result != T.Zero))
        {
            return Tiny(result, error != 0, mxcsr, ref flags);
        }

        return result;
    }

    /// <summary>2^-1022 or 2^-126, the smallest normal <typeparamref name="T"/> (the test folds away per instantiation).</summary>
    private static T SmallestNormal<T>()
        where T : IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(SmallestNormal32) : T.CreateTruncating(SmallestNormal64);

    /// <summary>
    /// A result below the smallest normal: UE when inexact (tininess is judged on the rounded result, as
    /// x86 does); with MXCSR.FZ the result becomes a zero of its sign and UE and PE are set.
    /// </summary>
    private static T Tiny<T>(T result, bool inexact, uint mxcsr, ref uint flags)
        where T : IFloatingPointIeee754<T>
    {
        if ((mxcsr & MxcsrBits.FlushToZero) != 0)
        {
            flags |= MxcsrBits.Underflow | MxcsrBits.Precision;
            return T.CopySign(T.Zero, result);
        }

        if (inexact)
        {
            flags |= MxcsrBits.Underflow;
        }

        return result;
    }

    /// <summary>Whether a masked overflow delivers an infinity (else the largest finite number) in this mode.</summary>
    private static bool OverflowsToInfinity(bool negative, int rc) => rc switch
    {
        Nearest => true,
        Down => negative,
        Up => !negative,
        _ => false,
    };

    /// <summary>The direction (+1 up, -1 down, 0 stay) to move the nearest-even result in mode <paramref name="rc"/>.</summary>
    private static int Step<T>(T nearest, int error, int rc)
        where T : IFloatingPointIeee754<T> => rc switch
    {
        Down => error < 0 ? -1 : 0,
        Up => error > 0 ? 1 : 0,
        TowardZero => T.IsNegative(nearest) ? (error > 0 ? 1 : 0) : (error < 0 ? -1 : 0),
        _ => 0,
    };
}
