using System.Numerics;

namespace KmlSim.Execution;

/// <summary>
/// The elementary functions behind the x87 transcendental instructions, on <see cref="WideFloat"/>: each is
/// a power series on a reduced argument (|argument| at most about 0.8), summed until the terms fall below
/// the working precision. With a few hundred truncating operations per function, the error stays far
/// below 2^16 units of the working precision's last bit, the bound <see cref="Float80Math"/> assumes.
/// </summary>
internal static class WideMath
{
    /// <summary>The largest working precision (bits) the transcendental rounding asks for.</summary>
    public const int MaxPrecision = 640;

    /// <summary>Bits of the stored constants: the largest precision plus headroom.</summary>
    private const int ConstantBits = MaxPrecision + 64;

    /// <summary>π to <see cref="ConstantBits"/> bits, by Machin's formula π = 16 atan(1/5) − 4 atan(1/239).</summary>
    private static readonly WideFloat PiConstant = WideFloat.Create(
        (16 * InverseArctangent(5, ConstantBits + 16, hyperbolic: false)) - (4 * InverseArctangent(239, ConstantBits + 16, hyperbolic: false)),
        -(ConstantBits + 16),
        ConstantBits);

    /// <summary>ln 2 = 2 atanh(1/3), to <see cref="ConstantBits"/> bits.</summary>
    private static readonly WideFloat Ln2Constant = WideFloat.Create(
        2 * InverseArctangent(3, ConstantBits + 16, hyperbolic: true),
        -(ConstantBits + 16),
        ConstantBits);

    /// <summary>π at <paramref name="precision"/> bits.</summary>
    public static WideFloat Pi(int precision) => PiConstant.WithPrecision(precision);

    /// <summary>ln 2 at <paramref name="precision"/> bits.</summary>
    public static WideFloat Ln2(int precision) => Ln2Constant.WithPrecision(precision);

    /// <summary>
    /// atan(1/k) (or atanh(1/k)) × 2^bits as an integer: Σ (∓1)^i / ((2i+1) k^(2i+1)), each term truncated,
    /// so the result is within a few hundred units of the exact value (the callers keep 16 guard bits).
    /// </summary>
    private static BigInteger InverseArctangent(int k, int bits, bool hyperbolic)
    {
        BigInteger power = (BigInteger.One << bits) / k;
        BigInteger sum = power;
        long k2 = (long)k * k;
        for (int i = 1; !power.IsZero; i++)
        {
            power /= k2;
            BigInteger term = power / ((2 * i) + 1);
            sum += hyperbolic || i % 2 == 0 ? term : -term;
        }

        return sum;
    }

    /// <summary>True when <paramref name="term"/> no longer changes a sum whose leading bit is <paramref name="sumLeadingBit"/>.</summary>
    private static bool Negligible(WideFloat term, int sumLeadingBit) =>
        term.IsZero || term.LeadingBit < sumLeadingBit - term.Precision - 4;

    /// <summary>e^z − 1 by its Taylor series, for |z| below 1 (no cancellation: the first term dominates).</summary>
    public static WideFloat ExpMinusOne(WideFloat z)
    {
        WideFloat term = z;
        WideFloat sum = z;
        for (int k = 2; !Negligible(term, sum.LeadingBit); k++)
        {
            term = term * z / k;
            sum += term;
        }

        return sum;
    }

    /// <summary>atanh(t) = t + t³/3 + t⁵/5 + …, for |t| well below 1.</summary>
    public static WideFloat Atanh(WideFloat t) => OddPowerSeries(t, alternating: false);

    /// <summary>ln(x) for x &gt; 0: x = m × 2^n with m in [√½, √2), ln x = n ln 2 + 2 atanh((m − 1)/(m + 1)).</summary>
    public static WideFloat Log(WideFloat x)
    {
        int p = x.Precision;
        int n = x.LeadingBit;
        WideFloat m = x.Scale(-n);
        WideFloat one = WideFloat.Integer(1, p);
        if (!((m * m) - WideFloat.Integer(2, p)).IsNegative)
        {
            n++;
            m = m.Scale(-1);
        }

        WideFloat logM = Atanh((m - one) / (m + one)).Scale(1);
        return n == 0 ? logM : (WideFloat.Integer(n, p) * Ln2(p)) + logM;
    }

    /// <summary>atan(t) = t − t³/3 + t⁵/5 − …, for |t| at most 1/2.</summary>
    private static WideFloat AtanSeries(WideFloat t) => OddPowerSeries(t, alternating: true);

    /// <summary>t ± t³/3 + t⁵/5 ± …: atanh's series, or with <paramref name="alternating"/> signs atan's.</summary>
    private static WideFloat OddPowerSeries(WideFloat t, bool alternating)
    {
        if (t.IsZero)
        {
            return t;
        }

        WideFloat t2 = t * t;
        WideFloat power = t;
        WideFloat sum = t;
        for (int k = 3; ; k += 2)
        {
            power *= t2;
            if (alternating)
            {
                power = -power;
            }

            WideFloat term = power / k;
            bool last = Negligible(term, sum.LeadingBit);
            sum += term; // even a negligible term: its sign nudges the truncated sum the right way
            if (last)
            {
                return sum;
            }
        }
    }

    /// <summary>atan(r) for 0 ≤ r ≤ 1; above 1/2 through atan(r) = π/4 + atan((r − 1)/(r + 1)).</summary>
    public static WideFloat Atan(WideFloat r)
    {
        if (r.IsZero || r.LeadingBit < -1)
        {
            return AtanSeries(r);
        }

        WideFloat one = WideFloat.Integer(1, r.Precision);
        return Pi(r.Precision).Scale(-2) + AtanSeries((r - one) / (r + one));
    }

    /// <summary>sin(r) and cos(r) by their Taylor series, for |r| at most about π/4.</summary>
    public static (WideFloat Sin, WideFloat Cos) SinCos(WideFloat r)
    {
        WideFloat r2 = r * r;
        WideFloat sinTerm = r;
        WideFloat sin = r;
        WideFloat cosTerm = WideFloat.Integer(1, r.Precision);
        WideFloat cos = cosTerm;
        for (int k = 2; ; k += 2)
        {
            cosTerm = -(cosTerm * r2) / ((long)(k - 1) * k);
            sinTerm = -(sinTerm * r2) / ((long)k * (k + 1));
            bool done = Negligible(cosTerm, 0) && Negligible(sinTerm, sin.LeadingBit);
            cos += cosTerm;
            sin += sinTerm;
            if (done)
            {
                return (sin, cos);
            }
        }
    }
}
