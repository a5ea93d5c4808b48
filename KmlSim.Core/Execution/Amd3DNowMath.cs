namespace KmlSim.Execution;

/// <summary>
/// The lane arithmetic of AMD's 3DNow! and extended 3DNow! instructions on pairs of single-precision values
/// (the 3DNow! Technology Manual, 21928G, and the AMD64 APM vol. 5). The format is IEEE single, but: source
/// denormals count as zeros; a result smaller in magnitude than 2^-126 is a zero of its sign; a result that
/// overflows saturates to the largest normal of its sign; AMD processors round to nearest, and PF2ID/PI2FD
/// (and the word forms) truncate; nothing raises an exception or touches MXCSR. Operands with an all-ones
/// exponent are "unsupported" and their results undefined; this model computes them as IEEE values and
/// saturates an infinite result like an overflow.
/// </summary>
internal static class Amd3DNowMath
{
    /// <summary>The largest normal single, 2^127 x (2 - 2^-23).</summary>
    private const uint MaxNormalBits = 0x7F7F_FFFF;

    private const float SmallestNormal = 1.17549435e-38f; // 2^-126

    /// <summary>A lane as a value: denormals become zeros of their sign.</summary>
    public static float Lane(ulong pair, int lane)
    {
        uint bits = (uint)(pair >> (32 * lane));
        if ((bits & 0x7F80_0000) == 0)
        {
            bits &= 0x8000_0000;
        }

        return BitConverter.UInt32BitsToSingle(bits);
    }

    /// <summary>A result as 3DNow! stores it: tiny results flush to a signed zero, overflows saturate to the largest normal.</summary>
    public static uint Store(double exact)
    {
        float value = (float)exact; // round to nearest even, the AMD processors' mode
        if (double.IsNaN(exact))
        {
            return BitConverter.SingleToUInt32Bits(value);
        }

        if (float.IsInfinity(value))
        {
            return (value < 0 ? 0x8000_0000 : 0) | MaxNormalBits;
        }

        if (Math.Abs(exact) < SmallestNormal)
        {
            return double.IsNegative(exact) ? 0x8000_0000u : 0;
        }

        return BitConverter.SingleToUInt32Bits(value);
    }

    /// <summary>Two lanes into a register value.</summary>
    public static ulong Pair(uint low, uint high) => low | ((ulong)high << 32);

    /// <summary>Applies a two-operand lane function to both lanes.</summary>
    public static ulong Lanes(ulong a, ulong b, Func<float, float, double> operation) =>
        Pair(Store(operation(Lane(a, 0), Lane(b, 0))), Store(operation(Lane(a, 1), Lane(b, 1))));

    /// <summary>
    /// The sum or difference of two singles rounded once: a double holds the exact sum whenever the
    /// exponents are within 29 of each other, and otherwise the smaller operand is below half an ulp of
    /// the larger, where the double's rounding cannot move the single's.
    /// </summary>
    public static double Sum(float a, float b) => (double)a + b;

    /// <summary>The exact product (24 x 24 bits fit a double's 53).</summary>
    public static double Product(float a, float b) => (double)a * b;

    /// <summary>A comparison mask lane.</summary>
    public static uint Mask(bool condition) => condition ? 0xFFFF_FFFF : 0;

    /// <summary>PF2ID lane: truncated toward zero, saturated to the signed 32-bit range.</summary>
    public static uint ToInt32(float value) => value switch
    {
        >= 2147483648f => 0x7FFF_FFFF,
        <= -2147483648f => 0x8000_0000,
        _ => (uint)(int)value,
    };

    /// <summary>PF2IW lane: truncated, saturated to the signed 16-bit range, sign-extended to 32 bits.</summary>
    public static uint ToInt16(float value) => value switch
    {
        >= 32767f => 0x0000_7FFF,
        <= -32768f => 0xFFFF_8000,
        _ => (uint)(int)value,
    };

    /// <summary>PI2FD lane: the integer converted with truncation (round toward zero).</summary>
    public static uint FromInt32(int value)
    {
        float rounded = value;
        if (Math.Abs((double)rounded) > Math.Abs((double)value))
        {
            rounded = MathF.BitDecrement(Math.Abs(rounded)) * Math.Sign(value);
        }

        return BitConverter.SingleToUInt32Bits(rounded);
    }

    /// <summary>
    /// PFRCP: the reciprocal of the low lane (the manuals promise at least 14 correct bits; this returns the
    /// correctly rounded single). A zero gives the largest normal of its sign; a result below 2^-126 is zero.
    /// </summary>
    public static uint Reciprocal(float value) => Store(1.0 / value);

    /// <summary>
    /// PFRSQRT: the reciprocal square root of the low lane's magnitude, with the source's sign (at least 15
    /// correct bits promised; this returns the correctly rounded single). A zero gives the largest normal.
    /// </summary>
    public static uint ReciprocalSquareRoot(float value)
    {
        uint magnitude = Store(1.0 / Math.Sqrt(Math.Abs((double)value)));
        return magnitude | (BitConverter.SingleToUInt32Bits(value) & 0x8000_0000);
    }
}
