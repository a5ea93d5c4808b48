using System.Numerics;
using System.Runtime.CompilerServices;

namespace KmlSim.Execution;

/// <summary>
/// An x87 register value in the 80-bit double-extended format, held exactly as it is laid out in memory
/// (AMD64 APM vol. 1, §6.2.3): a sign, a 15-bit biased exponent and a 64-bit significand whose bit 63 is
/// the explicit integer bit. Because the stored bits are the architectural bits, FLD/FSTP m80 round trips
/// are exact for every encoding, including the unsupported ones (unnormals, pseudo-NaNs), which arithmetic
/// rejects as invalid operands as the hardware does.
/// </summary>
internal readonly struct Float80
{
    /// <summary>The exponent bias (value = significand / 2^63 * 2^(exponent - Bias)).</summary>
    public const int Bias = 16383;

    /// <summary>The all-ones exponent of infinities and NaNs.</summary>
    public const int MaxExponent = 0x7FFF;

    /// <summary>The explicit integer bit of the significand.</summary>
    public const ulong IntegerBit = 1UL << 63;

    /// <summary>The bit that distinguishes quiet from signalling NaNs.</summary>
    public const ulong QuietBit = 1UL << 62;

    /// <summary>Creates a value from its memory fields.</summary>
    public Float80(ushort signExponent, ulong significand)
    {
        SignExponent = signExponent;
        Significand = significand;
    }

    /// <summary>Creates a value from a sign, a biased exponent (0..0x7FFF) and a significand.</summary>
    public Float80(bool negative, int exponent, ulong significand)
        : this((ushort)((negative ? 0x8000 : 0) | exponent), significand)
    {
    }

    /// <summary>Bits 64-79 of the memory format: sign and biased exponent.</summary>
    public ushort SignExponent { get; }

    /// <summary>Bits 0-63 of the memory format: the significand including the integer bit.</summary>
    public ulong Significand { get; }

    /// <summary>The "real indefinite": the default quiet NaN produced by masked invalid operations.</summary>
    public static Float80 Indefinite => new(0xFFFF, IntegerBit | QuietBit);

    /// <summary>Sign bit.</summary>
    public bool Negative => SignExponent >> 15 != 0;

    /// <summary>Biased exponent.</summary>
    public int Exponent => SignExponent & MaxExponent;

    /// <summary>+0 or -0.</summary>
    public bool IsZero => Exponent == 0 && Significand == 0;

    /// <summary>A denormal or pseudo-denormal (exponent 0, significand not zero).</summary>
    public bool IsDenormal => Exponent == 0 && Significand != 0;

    /// <summary>±infinity.</summary>
    public bool IsInfinity => Exponent == MaxExponent && Significand == IntegerBit;

    /// <summary>A quiet or signalling NaN (integer bit set, fraction not zero).</summary>
    public bool IsNaN => Exponent == MaxExponent && (Significand & IntegerBit) != 0 && (Significand << 1) != 0;

    /// <summary>A signalling NaN.</summary>
    public bool IsSignalingNaN => IsNaN && (Significand & QuietBit) == 0;

    /// <summary>Encodings the 387 and later reject: a non-zero exponent with a clear integer bit (unnormals, pseudo-infinities, pseudo-NaNs).</summary>
    public bool IsUnsupported => Exponent != 0 && (Significand & IntegerBit) == 0;

    /// <summary>A finite, non-zero, supported value (normal or denormal).</summary>
    public bool IsFiniteNonZero => Exponent != MaxExponent && !IsZero && !IsUnsupported;

    /// <summary>Signed zero.</summary>
    public static Float80 Zero(bool negative) => new(negative, 0, 0);

    /// <summary>Signed infinity.</summary>
    public static Float80 Infinity(bool negative) => new(negative, MaxExponent, IntegerBit);

    /// <summary>The value with its sign inverted (FCHS: no exception, NaNs included).</summary>
    public Float80 Negate() => new((ushort)(SignExponent ^ 0x8000), Significand);

    /// <summary>The value with its sign cleared (FABS).</summary>
    public Float80 Abs() => new((ushort)(SignExponent & 0x7FFF), Significand);

    /// <summary>The NaN made quiet (what an SNaN becomes when an operation consumes it).</summary>
    public Float80 Quiet() => new(SignExponent, Significand | QuietBit);

    /// <summary>
    /// The exponent and significand of a finite non-zero value, normalised so that bit 63 is set: a denormal
    /// becomes an exponent below 1. Arithmetic works on this unbounded-exponent form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Normalized(out ulong significand)
    {
        significand = Significand;
        if (Exponent != 0)
        {
            return Exponent;
        }

        int shift = BitOperations.LeadingZeroCount(significand);
        significand <<= shift;
        return 1 - shift; // a pseudo-denormal (integer bit set, exponent 0) has the weight of exponent 1
    }

    /// <summary>An exact conversion of a signed 64-bit integer (every such integer fits the 64-bit significand).</summary>
    public static Float80 FromInt64(long value)
    {
        if (value == 0)
        {
            return Zero(false);
        }

        bool negative = value < 0;
        ulong magnitude = negative ? 0 - (ulong)value : (ulong)value;
        int shift = BitOperations.LeadingZeroCount(magnitude);
        return new Float80(negative, Bias + 63 - shift, magnitude << shift);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{SignExponent:X4}:{Significand:X16}";
}
