namespace KmlSim.Execution;

/// <summary>Addition, multiplication, division and square root.</summary>
internal static partial class Float80Math
{
    /// <summary>
    /// Handles the operands that are not finite non-zero numbers' concern: unsupported encodings and NaNs
    /// (x87 propagation rules, AMD64 APM vol. 1 §6.4.4: an SNaN raises IE; of two NaNs the one with the
    /// larger significand wins, a QNaN beating an SNaN), and notes denormal operands. Returns true with
    /// <paramref name="result"/> set when the operation is decided.
    /// </summary>
    private static bool PropagateNaN(Float80 a, Float80 b, ref FpuExceptions flags, out Float80 result)
    {
        if (a.IsUnsupported || b.IsUnsupported)
        {
            flags |= FpuExceptions.Invalid;
            result = Float80.Indefinite;
            return true;
        }

        if (a.IsNaN || b.IsNaN)
        {
            if (a.IsSignalingNaN || b.IsSignalingNaN)
            {
                flags |= FpuExceptions.Invalid;
            }

            result = !b.IsNaN ? a.Quiet()
                : !a.IsNaN ? b.Quiet()
                : a.IsSignalingNaN != b.IsSignalingNaN ? (a.IsSignalingNaN ? b : a)
                : ((b.Significand << 1) > (a.Significand << 1) ? b : a).Quiet();
            return true;
        }

        if (a.IsDenormal || b.IsDenormal)
        {
            flags |= FpuExceptions.Denormal;
        }

        result = default;
        return false;
    }

    /// <summary>a + b (or a - b when <paramref name="subtract"/>), rounded to <paramref name="precision"/> bits.</summary>
    public static Float80 Add(Float80 a, Float80 b, bool subtract, int precision, FpuRounding rounding, ref FpuExceptions flags)
    {
        if (PropagateNaN(a, b, ref flags, out Float80 special))
        {
            return special;
        }

        if (subtract)
        {
            b = b.Negate();
        }

        if (a.IsInfinity || b.IsInfinity)
        {
            if (a.IsInfinity && b.IsInfinity && a.Negative != b.Negative)
            {
                flags |= FpuExceptions.Invalid;
                return Float80.Indefinite;
            }

            return a.IsInfinity ? a : b;
        }

        if (a.IsZero || b.IsZero)
        {
            if (a.IsZero && b.IsZero)
            {
                // +0 + -0 is +0 except when rounding toward -infinity (IEEE 754 §6.3).
                return Float80.Zero(a.Negative == b.Negative ? a.Negative : rounding == FpuRounding.Down);
            }

            Float80 x = a.IsZero ? b : a;
            int xe = x.Normalized(out ulong xs);
            return RoundPack(x.Negative, xe, xs, 0, precision, rounding, ref flags);
        }

        int ea = a.Normalized(out ulong sa);
        int eb = b.Normalized(out ulong sb);
        bool negative = a.Negative;
        if (eb > ea || (eb == ea && sb > sa))
        {
            (ea, eb, sa, sb, negative) = (eb, ea, sb, sa, b.Negative);
        }

        ulong hiA = sa, loA = 0, hiB = sb, loB = 0;
        ShiftRightJam(ref hiB, ref loB, ea - eb);
        UInt128 large = new(hiA, loA);
        UInt128 small = new(hiB, loB);
        if (a.Negative == b.Negative)
        {
            UInt128 sum = large + small;
            if (sum < large)
            {
                // Carry out of bit 127: shift right by one, keeping the lost bit sticky.
                sum = (sum >> 1) | (sum & UInt128.One) | (UInt128.One << 127);
                ea++;
            }

            return RoundPack(negative, ea, (ulong)(sum >> 64), (ulong)sum, precision, rounding, ref flags);
        }

        UInt128 difference = large - small;
        if (difference == UInt128.Zero)
        {
            return Float80.Zero(rounding == FpuRounding.Down);
        }

        return NormalizeRoundPack(negative, ea, difference, precision, rounding, ref flags);
    }

    /// <summary>a × b.</summary>
    public static Float80 Multiply(Float80 a, Float80 b, int precision, FpuRounding rounding, ref FpuExceptions flags)
    {
        if (PropagateNaN(a, b, ref flags, out Float80 special))
        {
            return special;
        }

        bool negative = a.Negative != b.Negative;
        if (a.IsInfinity || b.IsInfinity)
        {
            if (a.IsZero || b.IsZero)
            {
                flags |= FpuExceptions.Invalid;
                return Float80.Indefinite;
            }

            return Float80.Infinity(negative);
        }

        if (a.IsZero || b.IsZero)
        {
            return Float80.Zero(negative);
        }

        int ea = a.Normalized(out ulong sa);
        int eb = b.Normalized(out ulong sb);
        ulong hi = Math.BigMul(sa, sb, out ulong lo);
        return NormalizeRoundPack(negative, ea + eb - Float80.Bias + 1, new UInt128(hi, lo), precision, rounding, ref flags);
    }

    /// <summary>a ÷ b.</summary>
    public static Float80 Divide(Float80 a, Float80 b, int precision, FpuRounding rounding, ref FpuExceptions flags)
    {
        if (PropagateNaN(a, b, ref flags, out Float80 special))
        {
            return special;
        }

        bool negative = a.Negative != b.Negative;
        if (a.IsInfinity || b.IsInfinity)
        {
            if (a.IsInfinity && b.IsInfinity)
            {
                flags |= FpuExceptions.Invalid;
                return Float80.Indefinite;
            }

            return a.IsInfinity ? Float80.Infinity(negative) : Float80.Zero(negative);
        }

        if (b.IsZero)
        {
            flags |= a.IsZero ? FpuExceptions.Invalid : FpuExceptions.ZeroDivide;
            return a.IsZero ? Float80.Indefinite : Float80.Infinity(negative);
        }

        if (a.IsZero)
        {
            return Float80.Zero(negative);
        }

        int ea = a.Normalized(out ulong sa);
        int eb = b.Normalized(out ulong sb);
        int exponent = ea - eb + Float80.Bias;

        // Two steps of 128-by-64 long division give a 64-bit quotient with its top bit set, then 64 more
        // quotient bits; the final remainder is the sticky bit.
        int preShift = sa >= sb ? 63 : 64;
        if (preShift == 64)
        {
            exponent--;
        }

        UInt128 numerator = (UInt128)sa << preShift;
        ulong high = (ulong)(numerator / sb);
        ulong remainder = (ulong)(numerator % sb);
        UInt128 next = (UInt128)remainder << 64;
        ulong low = (ulong)(next / sb);
        bool sticky = next % sb != UInt128.Zero;
        return RoundPack(negative, exponent, high, low | (sticky ? 1UL : 0), precision, rounding, ref flags);
    }

    /// <summary>√a.</summary>
    public static Float80 SquareRoot(Float80 a, int precision, FpuRounding rounding, ref FpuExceptions flags)
    {
        if (PropagateNaN(a, a, ref flags, out Float80 special))
        {
            return special;
        }

        if (a.IsZero || (a.IsInfinity && !a.Negative))
        {
            return a;
        }

        if (a.Negative)
        {
            flags |= FpuExceptions.Invalid;
            return Float80.Indefinite;
        }

        int e = a.Normalized(out ulong s) - Float80.Bias;

        // value = s * 2^(e-63); scale s so the power of two left over is even: N = s * 2^shift.
        int shift = (e & 1) == 0 ? 63 : 64;
        UInt128 n = (UInt128)s << shift;
        ulong root = IntegerSquareRoot(n);
        UInt128 rest = n - ((UInt128)root * root);

        // The root is never exactly half-way between integers, so rest > root decides the half bit.
        ulong low = rest == UInt128.Zero ? 0 : rest > root ? 0xC000_0000_0000_0000 : 0x4000_0000_0000_0000;
        int exponent = Float80.Bias + 63 + ((e - 63 - shift) / 2);
        return RoundPack(false, exponent, root, low, precision, rounding, ref flags);
    }

    /// <summary>floor(√n) for a 128-bit n: a double-precision estimate refined by Newton steps, then corrected by one.</summary>
    private static ulong IntegerSquareRoot(UInt128 n)
    {
        ulong root = (ulong)Math.Min(Math.Sqrt((double)n), 18446744073709551615.0);
        for (int i = 0; i < 3 && root != 0; i++)
        {
            UInt128 next = (root + (n / root)) >> 1;
            root = next > ulong.MaxValue ? ulong.MaxValue : (ulong)next;
        }

        while ((UInt128)root * root > n)
        {
            root--;
        }

        while (root != ulong.MaxValue && (UInt128)(root + 1) * (root + 1) <= n)
        {
            root++;
        }

        return root;
    }
}
