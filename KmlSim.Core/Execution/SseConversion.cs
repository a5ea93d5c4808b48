using KmlSim.Isa;
using static KmlSim.Execution.SseRounding;

namespace KmlSim.Execution;

/// <summary>
/// SSE conversions, one lane at a time: float to integer (MXCSR rounding or truncation; NaN and
/// out-of-range give the integer indefinite value with IE), integer to float (MXCSR rounding, PE),
/// and double/single narrowing (rounding, OE/UE/PE) and widening (exact). NaNs are quieted; a narrowed
/// NaN keeps its sign and the top of its payload.
/// </summary>
internal static class SseConversion
{
    /// <summary>The 32-bit integer indefinite value.</summary>
    public const uint Indefinite32 = 0x8000_0000;

    /// <summary>The 64-bit integer indefinite value.</summary>
    public const ulong Indefinite64 = 0x8000_0000_0000_0000;

    /// <summary>CVT(T)SD2SI and friends: a double to a 32- or 64-bit integer (returned zero-extended).</summary>
    public static ulong DoubleToInteger(double value, bool wide, bool truncate, uint mxcsr, ref uint flags)
    {
        double rounded = truncate ? Math.Truncate(value) : RoundingControl(mxcsr) switch
        {
            Nearest => Math.Round(value, MidpointRounding.ToEven),
            Down => Math.Floor(value),
            Up => Math.Ceiling(value),
            _ => Math.Truncate(value),
        };
        bool inRange = wide
            ? rounded >= -9223372036854775808.0 && rounded < 9223372036854775808.0
            : rounded >= -2147483648.0 && rounded <= 2147483647.0;
        if (!inRange)
        {
            // NaN fails both comparisons too.
            flags |= MxcsrBits.Invalid;
            return wide ? Indefinite64 : Indefinite32;
        }

        if (rounded != value)
        {
            flags |= MxcsrBits.Precision;
        }

        return wide ? (ulong)(long)rounded : (uint)(int)rounded;
    }

    /// <summary>The operand of a float-to-integer conversion, after DAZ, widened exactly to double.</summary>
    public static double Operand<TFormat>(ulong bits, uint mxcsr)
        where TFormat : ISseFormat => TFormat.ToDouble(DenormalToZero<TFormat>(bits, mxcsr));

    /// <summary>CVTSI2SD: exact for 32-bit integers, rounded per MXCSR.RC for 64-bit ones.</summary>
    public static ulong IntegerToDouble(long value, uint mxcsr, ref uint flags)
    {
        double nearest = value;
        int error = ((Int128)value).CompareTo((Int128)nearest);
        return BitConverter.DoubleToUInt64Bits(Finish(nearest, error, false, mxcsr, ref flags));
    }

    /// <summary>CVTSI2SS, CVTDQ2PS: rounded per MXCSR.RC.</summary>
    public static uint IntegerToSingle(long value, uint mxcsr, ref uint flags)
    {
        float nearest = value;
        int error = ((Int128)value).CompareTo((Int128)(double)nearest);
        return BitConverter.SingleToUInt32Bits(Finish(nearest, error, false, mxcsr, ref flags));
    }

    /// <summary>CVTSD2SS, CVTPD2PS: rounded per MXCSR.RC; IE for an SNaN, DE for a denormal operand.</summary>
    public static uint DoubleToSingle(ulong bits, uint mxcsr, ref uint flags)
    {
        if (ClassifyOperand<SseDouble>(ref bits, mxcsr, ref flags))
        {
            return (uint)(bits >> 32) & 0x8000_0000 | 0x7FC0_0000 | (uint)(bits >> 29) & 0x003F_FFFF;
        }

        double value = BitConverter.UInt64BitsToDouble(bits);
        float nearest = (float)value;
        bool overflowed = float.IsInfinity(nearest) && double.IsFinite(value);
        int error = overflowed ? 0 : Sign(value - nearest);
        return BitConverter.SingleToUInt32Bits(Finish(nearest, error, overflowed, mxcsr, ref flags));
    }

    /// <summary>CVTSS2SD, CVTPS2PD: exact; IE for an SNaN, DE for a denormal operand.</summary>
    public static ulong SingleToDouble(uint single, uint mxcsr, ref uint flags)
    {
        ulong bits = single;
        if (ClassifyOperand<SseSingle>(ref bits, mxcsr, ref flags))
        {
            return ((bits & 0x8000_0000) << 32) | 0x7FF8_0000_0000_0000 | ((bits & 0x003F_FFFF) << 29);
        }

        return BitConverter.DoubleToUInt64Bits(SseSingle.ToDouble(bits));
    }

    /// <summary>The operand of a precision conversion after DAZ, with IE for an SNaN and DE for a denormal; true for a NaN.</summary>
    private static bool ClassifyOperand<TFormat>(ref ulong bits, uint mxcsr, ref uint flags)
        where TFormat : ISseFormat
    {
        bits = DenormalToZero<TFormat>(bits, mxcsr);
        if (TFormat.IsNaN(bits))
        {
            flags |= IsSignaling<TFormat>(bits) ? MxcsrBits.Invalid : 0;
            return true;
        }

        if (TFormat.IsDenormal(bits))
        {
            flags |= MxcsrBits.Denormal;
        }

        return false;
    }
}
