using System.Numerics;

namespace KmlSim.Execution;

/// <summary>
/// A binary floating-point number with an arbitrary-length significand, <c>Significand × 2^Exponent</c>,
/// for evaluating the x87 transcendental functions well beyond 64 bits before one final rounding.
/// Every operation keeps at most <see cref="Precision"/> significant bits, truncating toward zero, so its
/// error is below one unit in the <see cref="Precision"/>-th bit. Additions of exactly representable
/// values (the operands taken from <see cref="Float80"/>) are exact while they fit the precision.
/// </summary>
internal readonly struct WideFloat
{
    private WideFloat(BigInteger significand, int exponent, int precision)
    {
        Significand = significand;
        Exponent = exponent;
        Precision = precision;
    }

    /// <summary>The signed integer significand (at most <see cref="Precision"/> bits).</summary>
    public BigInteger Significand { get; }

    /// <summary>The power of two that scales <see cref="Significand"/>.</summary>
    public int Exponent { get; }

    /// <summary>The number of significant bits results keep.</summary>
    public int Precision { get; }

    /// <summary>True for zero.</summary>
    public bool IsZero => Significand.IsZero;

    /// <summary>True for a value below zero.</summary>
    public bool IsNegative => Significand.Sign < 0;

    /// <summary>floor(log2 |value|) of a non-zero value: the weight of its leading bit.</summary>
    public int LeadingBit => Exponent + (int)BigInteger.Abs(Significand).GetBitLength() - 1;

    /// <summary>The value <c>significand × 2^exponent</c>, truncated toward zero to <paramref name="precision"/> bits.</summary>
    public static WideFloat Create(BigInteger significand, int exponent, int precision)
    {
        BigInteger magnitude = BigInteger.Abs(significand);
        int excess = (int)magnitude.GetBitLength() - precision;
        if (excess > 0)
        {
            magnitude >>= excess;
            significand = significand.Sign < 0 ? -magnitude : magnitude;
            exponent += excess;
        }

        return new WideFloat(significand, exponent, precision);
    }

    /// <summary>The exact value of a finite <see cref="Float80"/> (zero, normal or denormal).</summary>
    public static WideFloat From(Float80 value, int precision)
    {
        if (value.IsZero)
        {
            return new WideFloat(BigInteger.Zero, 0, precision);
        }

        int exponent = value.Normalized(out ulong significand);
        BigInteger magnitude = significand;
        return Create(value.Negative ? -magnitude : magnitude, exponent - Float80.Bias - 63, precision);
    }

    /// <summary>An integer.</summary>
    public static WideFloat Integer(long value, int precision) => Create(value, 0, precision);

    /// <summary>The same value kept to <paramref name="precision"/> bits.</summary>
    public WideFloat WithPrecision(int precision) => Create(Significand, Exponent, precision);

    /// <summary>The value times 2^<paramref name="power"/> (exact).</summary>
    public WideFloat Scale(int power) => new(Significand, Exponent + power, Precision);

    /// <summary>The absolute value.</summary>
    public WideFloat Abs() => new(BigInteger.Abs(Significand), Exponent, Precision);

    /// <summary>Negation.</summary>
    public static WideFloat operator -(WideFloat a) => new(-a.Significand, a.Exponent, a.Precision);

    /// <summary>Sum; an addend below the other's precision entirely is dropped (an error under one unit).</summary>
    public static WideFloat operator +(WideFloat a, WideFloat b)
    {
        int precision = Math.Max(a.Precision, b.Precision);
        if (a.IsZero || b.IsZero)
        {
            return Create(a.IsZero ? b.Significand : a.Significand, a.IsZero ? b.Exponent : a.Exponent, precision);
        }

        if (a.LeadingBit < b.LeadingBit - precision - 2 || b.LeadingBit < a.LeadingBit - precision - 2)
        {
            // The smaller addend is below the last kept bit. Truncating toward zero still sees it when its
            // sign is opposite: the result is one unit below the larger in magnitude, which keeps the
            // direction of the tiny correction (sin x just below x, cos x just below 1) for the rounding.
            bool aLarger = a.LeadingBit > b.LeadingBit;
            WideFloat larger = aLarger ? a : b;
            bool opposite = a.IsNegative != b.IsNegative;
            int widen = precision - (int)BigInteger.Abs(larger.Significand).GetBitLength();
            BigInteger widened = larger.Significand << Math.Max(widen, 0);
            int widenedExponent = larger.Exponent - Math.Max(widen, 0);
            return Create(opposite ? widened - larger.Significand.Sign : widened, widenedExponent, precision);
        }

        int exponent = Math.Min(a.Exponent, b.Exponent);
        BigInteger sum = (a.Significand << (a.Exponent - exponent)) + (b.Significand << (b.Exponent - exponent));
        return Create(sum, exponent, precision);
    }

    /// <summary>Difference.</summary>
    public static WideFloat operator -(WideFloat a, WideFloat b) => a + (-b);

    /// <summary>Product.</summary>
    public static WideFloat operator *(WideFloat a, WideFloat b) =>
        Create(a.Significand * b.Significand, a.Exponent + b.Exponent, Math.Max(a.Precision, b.Precision));

    /// <summary>Quotient (b not zero), with two bits beyond the precision before truncation.</summary>
    public static WideFloat operator /(WideFloat a, WideFloat b)
    {
        int precision = Math.Max(a.Precision, b.Precision);
        long shift = precision + 2 + BigInteger.Abs(b.Significand).GetBitLength() - BigInteger.Abs(a.Significand).GetBitLength();
        int s = (int)Math.Max(shift, 0);
        return Create((a.Significand << s) / b.Significand, a.Exponent - s - b.Exponent, precision);
    }

    /// <summary>Quotient by a small integer.</summary>
    public static WideFloat operator /(WideFloat a, long divisor) => a / Integer(divisor, a.Precision);
}
