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
    /// <summary>The x86 default NaN ("real indefinite"), returned by invalid operations: negative, quiet.</summary>
    public const ulong DefaultNaN64 = 0xFFF8_0000_0000_0000;

    /// <summary>The single-precision default NaN.</summary>
    public const uint DefaultNaN32 = 0xFFC0_0000;

    /// <summary>The quiet bit of a double NaN (the top fraction bit).</summary>
    public const ulong QuietBit64 = 1UL << 51;

    /// <summary>The quiet bit of a single NaN.</summary>
    public const uint QuietBit32 = 1U << 22;

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

    /// <summary>True for a NaN encoding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNaN64(ulong bits) => (bits & 0x7FFF_FFFF_FFFF_FFFF) > 0x7FF0_0000_0000_0000;

    /// <summary>True for a single-precision NaN encoding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNaN32(uint bits) => (bits & 0x7FFF_FFFF) > 0x7F80_0000;

    /// <summary>True for a signaling NaN (quiet bit clear).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsSignaling64(ulong bits) => IsNaN64(bits) && (bits & QuietBit64) == 0;

    /// <summary>True for a single-precision signaling NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsSignaling32(uint bits) => IsNaN32(bits) && (bits & QuietBit32) == 0;

    /// <summary>True for a denormal (non-zero with a zero exponent field).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsDenormal64(ulong bits) => (bits & 0x7FF0_0000_0000_0000) == 0 && (bits & 0x000F_FFFF_FFFF_FFFF) != 0;

    /// <summary>True for a single-precision denormal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsDenormal32(uint bits) => (bits & 0x7F80_0000) == 0 && (bits & 0x007F_FFFF) != 0;

    /// <summary>The biased exponent field of a double (0 for zeros and denormals).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BiasedExponent(double value) => (int)(BitConverter.DoubleToUInt64Bits(value) >> 52) & 0x7FF;

    /// <summary>MXCSR.DAZ: a denormal operand becomes a zero of the same sign.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong DenormalToZero64(ulong bits, uint mxcsr) =>
        (mxcsr & MxcsrBits.DenormalsAreZero) != 0 && IsDenormal64(bits) ? bits & 0x8000_0000_0000_0000 : bits;

    /// <summary>MXCSR.DAZ for single precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint DenormalToZero32(uint bits, uint mxcsr) =>
        (mxcsr & MxcsrBits.DenormalsAreZero) != 0 && IsDenormal32(bits) ? bits & 0x8000_0000 : bits;

    /// <summary>-1, 0 or 1 (0 for a NaN, which the callers never pass).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Sign(double value) => value > 0 ? 1 : value < 0 ? -1 : 0;

    /// <summary>
    /// Turns the nearest-even result <paramref name="nearest"/> and the sign of the exact error into the
    /// result in the MXCSR rounding mode, setting OE/UE/PE and applying MXCSR.FZ.
    /// <paramref name="overflowed"/> says the nearest-even result is an infinity from finite operands.
    /// </summary>
    public static double Finish64(double nearest, int error, bool overflowed, uint mxcsr, ref uint flags)
    {
        int rc = RoundingControl(mxcsr);
        if (overflowed)
        {
            flags |= MxcsrBits.Overflow | MxcsrBits.Precision;
            return OverflowsToInfinity(nearest < 0, rc) ? nearest : Math.CopySign(double.MaxValue, nearest);
        }

        double result = nearest;
        if (error != 0)
        {
            flags |= MxcsrBits.Precision;
            result = Step(result, error, rc) switch
            {
                > 0 => Math.BitIncrement(result),
                < 0 => Math.BitDecrement(result),
                _ => result,
            };
            if (double.IsInfinity(result))
            {
                flags |= MxcsrBits.Overflow;
            }
        }

        if (Math.Abs(result) < SmallestNormal64 && (error != 0 || result != 0))
        {
            return Tiny(result, error != 0, mxcsr, ref flags);
        }

        return result;
    }

    /// <summary>As <see cref="Finish64"/> for single precision.</summary>
    public static float Finish32(float nearest, int error, bool overflowed, uint mxcsr, ref uint flags)
    {
        int rc = RoundingControl(mxcsr);
        if (overflowed)
        {
            flags |= MxcsrBits.Overflow | MxcsrBits.Precision;
            return OverflowsToInfinity(nearest < 0, rc) ? nearest : MathF.CopySign(float.MaxValue, nearest);
        }

        float result = nearest;
        if (error != 0)
        {
            flags |= MxcsrBits.Precision;
            result = Step(result, error, rc) switch
            {
                > 0 => MathF.BitIncrement(result),
                < 0 => MathF.BitDecrement(result),
                _ => result,
            };
            if (float.IsInfinity(result))
            {
                flags |= MxcsrBits.Overflow;
            }
        }

        if (MathF.Abs(result) < SmallestNormal32 && (error != 0 || result != 0))
        {
            return (float)Tiny(result, error != 0, mxcsr, ref flags);
        }

        return result;
    }

    /// <summary>
    /// A result below the smallest normal: UE when inexact (tininess is judged on the rounded result, as
    /// x86 does); with MXCSR.FZ the result becomes a zero of its sign and UE and PE are set.
    /// </summary>
    private static double Tiny(double result, bool inexact, uint mxcsr, ref uint flags)
    {
        if ((mxcsr & MxcsrBits.FlushToZero) != 0)
        {
            flags |= MxcsrBits.Underflow | MxcsrBits.Precision;
            return Math.CopySign(0.0, result);
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
        where T : System.Numerics.IFloatingPointIeee754<T> => rc switch
    {
        Down => error < 0 ? -1 : 0,
        Up => error > 0 ? 1 : 0,
        TowardZero => T.IsNegative(nearest) ? (error > 0 ? 1 : 0) : (error < 0 ? -1 : 0),
        _ => 0,
    };
}
