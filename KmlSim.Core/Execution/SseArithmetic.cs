using KmlSim.Isa;
using static KmlSim.Execution.SseRounding;

namespace KmlSim.Execution;

/// <summary>
/// One lane of ADD/SUB/MUL/DIV/MIN/MAX/SQRT in double or single precision, with the x86 rules:
/// NaN operands propagate as the first source's NaN if it has one, else the second's, quieted; an
/// invalid operation yields the default NaN; MIN/MAX return the second operand when either is a NaN or
/// both are zeros; MXCSR.RC, DAZ and FZ are honoured and IE/DE/ZE/OE/UE/PE are accumulated in a flag word.
/// Single precision is computed in double (exact for products; for the other operations the double
/// result rounded to single is the correctly rounded single result, since 53 >= 2 * 24 + 2), with the
/// double's own exact error deciding directed roundings when the double result is itself a single.
/// </summary>
internal static class SseArithmetic
{
    /// <summary>One lane in format <typeparamref name="TFormat"/>. For <see cref="SseOperation.Sqrt"/> only <paramref name="b"/> is used.</summary>
    public static ulong Lane<TFormat>(SseOperation op, ulong a, ulong b, uint mxcsr, ref uint flags)
        where TFormat : ISseFormat
    {
        if (op == SseOperation.Sqrt)
        {
            a = 0;
        }

        a = DenormalToZero<TFormat>(a, mxcsr);
        b = DenormalToZero<TFormat>(b, mxcsr);
        bool aNaN = TFormat.IsNaN(a);
        if (aNaN || TFormat.IsNaN(b))
        {
            if (op is SseOperation.Min or SseOperation.Max)
            {
                flags |= MxcsrBits.Invalid;
                return b;
            }

            if (IsSignaling<TFormat>(a) || IsSignaling<TFormat>(b))
            {
                flags |= MxcsrBits.Invalid;
            }

            return (aNaN ? a : b) | TFormat.QuietBit;
        }

        double x = TFormat.ToDouble(a);
        double y = TFormat.ToDouble(b);
        if (IsInvalid(op, x, y))
        {
            flags |= MxcsrBits.Invalid;
            return TFormat.DefaultNaN;
        }

        if (op == SseOperation.Divide && y == 0)
        {
            flags |= double.IsFinite(x) ? MxcsrBits.DivideByZero : 0;
            return TFormat.FromDouble(x / y);
        }

        if (TFormat.IsDenormal(a) || TFormat.IsDenormal(b))
        {
            flags |= MxcsrBits.Denormal;
        }

        switch (op)
        {
            case SseOperation.Min:
                return x < y ? a : b;
            case SseOperation.Max:
                return x > y ? a : b;
        }

        return TFormat.IsSingle ? RoundSingle(op, x, y, mxcsr, ref flags) : RoundDouble(op, x, y, mxcsr, ref flags);
    }

    /// <summary>The rounded double result of valid, non-NaN operands.</summary>
    private static ulong RoundDouble(SseOperation op, double x, double y, uint mxcsr, ref uint flags)
    {
        double nearest = Compute(op, x, y, out int error);
        bool overflowed = double.IsInfinity(nearest) && double.IsFinite(x) && double.IsFinite(y);
        double result = Finish(nearest, error, overflowed, mxcsr, ref flags);
        return BitConverter.DoubleToUInt64Bits(SignOfExactZeroSum(op, result, error, x, y, mxcsr));
    }

    /// <summary>The rounded single result of valid, non-NaN operands (widened exactly to double).</summary>
    private static ulong RoundSingle(SseOperation op, double x, double y, uint mxcsr, ref uint flags)
    {
        double wide = Compute(op, x, y, out int wideError);
        float nearest = (float)wide;
        int error = wide != nearest ? Sign(wide - nearest) : wideError;
        bool overflowed = float.IsInfinity(nearest) && double.IsFinite(x) && double.IsFinite(y);
        float result = Finish(nearest, error, overflowed, mxcsr, ref flags);
        return BitConverter.SingleToUInt32Bits((float)SignOfExactZeroSum(op, result, error, x, y, mxcsr));
    }

    /// <summary>inf - inf, 0 * inf, 0 / 0, inf / inf, and the square root of a number below zero (not -0).</summary>
    private static bool IsInvalid(SseOperation op, double x, double y) => op switch
    {
        SseOperation.Add => double.IsInfinity(x) && double.IsInfinity(y) && double.IsNegative(x) != double.IsNegative(y),
        SseOperation.Subtract => double.IsInfinity(x) && double.IsInfinity(y) && double.IsNegative(x) == double.IsNegative(y),
        SseOperation.Multiply => (x == 0 && double.IsInfinity(y)) || (y == 0 && double.IsInfinity(x)),
        SseOperation.Divide => (x == 0 && y == 0) || (double.IsInfinity(x) && double.IsInfinity(y)),
        SseOperation.Sqrt => y < 0,
        _ => false,
    };

    /// <summary>
    /// An exact zero sum of operands of opposite sign is +0 in every rounding mode but round-down, where
    /// it is -0 (IEEE 754 §6.3); the host computed it in round-to-nearest.
    /// </summary>
    private static double SignOfExactZeroSum(SseOperation op, double result, int error, double x, double y, uint mxcsr)
    {
        if (result != 0 || error != 0 || RoundingControl(mxcsr) != Down || op is not (SseOperation.Add or SseOperation.Subtract))
        {
            return result;
        }

        bool ySign = double.IsNegative(y) ^ (op == SseOperation.Subtract);
        return double.IsNegative(x) != ySign ? -0.0 : result;
    }

    /// <summary>
    /// The nearest-even result of finite-or-infinite, non-NaN, valid operands, and the sign of
    /// (exact - result). The error terms are exact: TwoSum for sums; for products, quotients and roots a
    /// fused multiply-add, on operands scaled to around 1 when the remainder could fall below the
    /// denormal range and be lost.
    /// </summary>
    private static double Compute(SseOperation op, double x, double y, out int error)
    {
        error = 0;
        switch (op)
        {
            case SseOperation.Add:
            case SseOperation.Subtract:
            {
                double addend = op == SseOperation.Subtract ? -y : y;
                double sum = x + addend;
                if (double.IsFinite(sum))
                {
                    double virtualAddend = sum - x;
                    error = Sign((x - (sum - virtualAddend)) + (addend - virtualAddend));
                }

                return sum;
            }

            case SseOperation.Multiply:
            {
                double product = x * y;
                if (x == 0 || y == 0 || !double.IsFinite(product) || !double.IsFinite(x) || !double.IsFinite(y))
                {
                    return product;
                }

                if (BiasedExponent(product) >= 63)
                {
                    error = Sign(Math.FusedMultiplyAdd(x, y, -product));
                }
                else
                {
                    int ex = Math.ILogB(x), ey = Math.ILogB(y);
                    error = Sign(Math.FusedMultiplyAdd(Math.ScaleB(x, -ex), Math.ScaleB(y, -ey), -Math.ScaleB(product, -(ex + ey))));
                }

                return product;
            }

            case SseOperation.Divide:
            {
                double quotient = x / y;
                if (x == 0 || !double.IsFinite(quotient) || !double.IsFinite(x) || !double.IsFinite(y))
                {
                    return quotient;
                }

                // exact - q has the sign of (x - q*y) * sign(y).
                if (BiasedExponent(x) >= 63 && BiasedExponent(quotient) >= 63)
                {
                    error = Sign(Math.FusedMultiplyAdd(-quotient, y, x)) * Sign(y);
                }
                else
                {
                    int ex = Math.ILogB(x), ey = Math.ILogB(y);
                    double ys = Math.ScaleB(y, -ey);
                    error = Sign(Math.FusedMultiplyAdd(-Math.ScaleB(quotient, ey - ex), ys, Math.ScaleB(x, -ex))) * Sign(ys);
                }

                return quotient;
            }

            default:
            {
                double root = Math.Sqrt(y);
                if (y == 0 || double.IsInfinity(y))
                {
                    return root;
                }

                error = BiasedExponent(y) >= 100
                    ? Sign(Math.FusedMultiplyAdd(-root, root, y))
                    : Sign(Math.FusedMultiplyAdd(-Math.ScaleB(root, 300), Math.ScaleB(root, 300), Math.ScaleB(y, 600)));
                return root;
            }
        }
    }
}
