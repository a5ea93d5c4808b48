using Iced.Intel;
using KmlSim.Decoding;

namespace KmlSim.Execution;

/// <summary>
/// FBLD and FBSTP: the 80-bit packed BCD integer (AMD64 APM vol. 1, "packed decimal"): bytes 0-8 hold 18
/// digits, two per byte with the less significant in the low nibble; bit 7 of byte 9 is the sign.
/// </summary>
public sealed unsafe partial class Cpu
{
    private const int BcdBytes = 10;
    private const int BcdDigitBytes = 9;
    private const long LargestBcd = 999_999_999_999_999_999;

    private static void RegisterX87Bcd(HandlerTable table)
    {
        table.Add(Code.Fbld_m80bcd, &Fbld);
        table.Add(Code.Fbstp_m80bcd, &Fbstp);
    }

    /// <summary>
    /// FBLD: pushes the BCD integer, exactly (18 digits fit the 64-bit significand); a negative zero stays
    /// negative. Digits above 9 give an undefined result in the manuals; here they count with their nibble value.
    /// </summary>
    private static void Fbld(Cpu cpu, ref DecodedInstruction d)
    {
        Span<byte> bcd = stackalloc byte[BcdBytes];
        cpu.Mmu.ReadBytes(cpu.EffectiveAddress(ref d), bcd);
        long magnitude = 0;
        for (int i = BcdDigitBytes - 1; i >= 0; i--)
        {
            magnitude = (magnitude * 100) + ((bcd[i] >> 4) * 10) + (bcd[i] & 0xF);
        }

        bool negative = (bcd[9] & 0x80) != 0;
        cpu.PushValue(magnitude == 0 ? Float80.Zero(negative) : Float80.FromInt64(negative ? -magnitude : magnitude));
    }

    /// <summary>
    /// FBSTP: ST(0) rounded to an integer under RC, stored as BCD, then popped. A NaN, an infinity or a
    /// value beyond 18 digits is an invalid operation whose masked response stores the BCD indefinite
    /// (bytes 7-9 = C0 FF FF, the rest zero). The sign byte keeps the sign of ST(0), zero included.
    /// </summary>
    private static void Fbstp(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.EffectiveAddress(ref d);
        var flags = FpuExceptions.None;
        Float80 value = cpu.ReadSt(0, ref flags);
        Span<byte> bcd = stackalloc byte[BcdBytes];
        var rounding = flags;
        ulong integer = StackFaulted(flags) ? 1UL << 63 : Float80Math.ToInteger(value, 64, cpu.X87Rounding, ref rounding);
        long signed = (long)integer;
        if (StackFaulted(flags) || (rounding & FpuExceptions.Invalid) != 0 || signed > LargestBcd || signed < -LargestBcd)
        {
            flags |= FpuExceptions.Invalid;
            bcd[7] = 0xC0;
            bcd[8] = 0xFF;
            bcd[9] = 0xFF;
        }
        else
        {
            flags = rounding;
            ulong magnitude = (ulong)Math.Abs(signed);
            for (int i = 0; i < BcdDigitBytes; i++)
            {
                bcd[i] = (byte)((magnitude % 10) | ((magnitude / 10 % 10) << 4));
                magnitude /= 100;
            }

            bcd[9] = value.Negative ? (byte)0x80 : (byte)0;
        }

        cpu.WriteBytesAtomically(address, bcd, BcdBytes);
        cpu.X87Commit(flags);
        cpu.X87Pop();
    }
}
