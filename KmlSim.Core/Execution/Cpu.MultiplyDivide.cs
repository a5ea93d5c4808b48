using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Interrupts;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// MUL, IMUL (one, two and three operands), DIV, IDIV (AMD64 APM vol. 3). Multiplies set CF = OF when the
/// product does not fit the destination; SF, ZF, AF, PF are undefined and left unchanged. Divides leave
/// every flag unchanged (all undefined) and raise #DE for a zero divisor or a quotient that does not fit,
/// before writing anything.
/// </summary>
public sealed unsafe partial class Cpu
{
    internal static void RegisterMultiplyDivide(HandlerTable table)
    {
        table.Add(Mnemonic.Mul, &Mul);
        table.Add(Mnemonic.Imul, &Imul);
        table.Add(Mnemonic.Div, &Div);
        table.Add(Mnemonic.Idiv, &Idiv);
    }

    /// <summary>Sets CF and OF together (the multiply overflow indication).</summary>
    private void SetMultiplyOverflow(bool overflow) => SetCarryOverflow(overflow ? 1UL : 0, overflow ? 1UL : 0);

    /// <summary>Writes a double-width result: AX for bytes, else rDX:rAX.</summary>
    private void WriteAccumulatorPair(int size, ulong low, ulong high)
    {
        if (size == 1)
        {
            WriteGpr(0, 2, (low & 0xFF) | ((high & 0xFF) << 8));
            return;
        }

        WriteGpr(0, size, low);
        WriteGpr(2, size, high);
    }

    /// <summary>The dividend AX (bytes) or rDX:rAX, as a 128-bit value.</summary>
    private UInt128 Dividend(int size) => size == 1
        ? (UInt128)(ushort)R[0]
        : ((UInt128)ReadGpr(2, size) << (size * 8)) | ReadGpr(0, size);

    private static void Mul(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.Size0;
        ulong source = cpu.Read0(ref d, cpu.AddressIfMemory(ref d));
        ulong high = Math.BigMul(cpu.ReadGpr(0, size), source, out ulong low);
        if (size < 8)
        {
            high = low >> (size * 8);
        }

        cpu.WriteAccumulatorPair(size, low, high);
        cpu.SetMultiplyOverflow((high & SizeMask(size)) != 0);
    }

    private static void Imul(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.Size0;
        ulong address = cpu.AddressIfMemory(ref d);
        if (d.OpCount == 1)
        {
            long a = SignExtend(cpu.ReadGpr(0, size), size);
            long b = SignExtend(cpu.Read0(ref d, address), size);
            long high = Math.BigMul(a, b, out long low);
            if (size < 8)
            {
                high = low >> (size * 8);
            }

            cpu.WriteAccumulatorPair(size, (ulong)low, (ulong)high);
            cpu.SetMultiplyOverflow(high != SignExtend((ulong)low, size) >> 63);
            return;
        }

        // Two operands: dest *= src. Three: dest = src * imm (the immediate sign-extended from its encoding).
        long x = SignExtend(d.OpCount == 2 ? cpu.Read0(ref d, address) : cpu.Read1(ref d, address), size);
        long y = SignExtend(d.OpCount == 2 ? cpu.Read1(ref d, address) : d.Immediate, size);
        long productHigh = Math.BigMul(x, y, out long product);
        bool overflow = size == 8
            ? productHigh != product >> 63
            : product != SignExtend((ulong)product, size);
        cpu.WriteGpr(d.Reg0, size, (ulong)product);
        cpu.SetMultiplyOverflow(overflow);
    }

    private static void Div(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.Size0;
        ulong divisor = cpu.Read0(ref d, cpu.AddressIfMemory(ref d));
        if (divisor == 0)
        {
            throw new GuestFaultException(ExceptionVector.DivideError);
        }

        UInt128 dividend = cpu.Dividend(size);
        UInt128 quotient = dividend / divisor;
        if (quotient > SizeMask(size))
        {
            throw new GuestFaultException(ExceptionVector.DivideError);
        }

        cpu.WriteAccumulatorPair(size, (ulong)quotient, (ulong)(dividend - (quotient * divisor)));
    }

    /// <summary>IDIV on magnitudes: the quotient truncates toward zero, the remainder takes the dividend's sign.</summary>
    private static void Idiv(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.Size0;
        long divisor = SignExtend(cpu.Read0(ref d, cpu.AddressIfMemory(ref d)), size);
        if (divisor == 0)
        {
            throw new GuestFaultException(ExceptionVector.DivideError);
        }

        int bits = size * 8;
        UInt128 dividend = cpu.Dividend(size);
        bool dividendNegative = ((dividend >> ((2 * bits) - 1)) & 1) != 0;
        UInt128 dividendMask = bits == 64 ? UInt128.MaxValue : (UInt128.One << (2 * bits)) - 1;
        UInt128 dividendMagnitude = dividendNegative ? (UInt128.Zero - dividend) & dividendMask : dividend;

        ulong divisorMagnitude = divisor < 0 ? 0 - (ulong)divisor : (ulong)divisor;
        UInt128 quotientMagnitude = dividendMagnitude / divisorMagnitude;
        ulong remainderMagnitude = (ulong)(dividendMagnitude - (quotientMagnitude * divisorMagnitude));
        bool quotientNegative = dividendNegative != (divisor < 0);
        UInt128 limit = (UInt128.One << (bits - 1)) - (quotientNegative ? UInt128.Zero : UInt128.One);
        if (quotientMagnitude > limit)
        {
            throw new GuestFaultException(ExceptionVector.DivideError);
        }

        ulong quotient = quotientNegative ? 0 - (ulong)quotientMagnitude : (ulong)quotientMagnitude;
        ulong remainder = dividendNegative ? 0 - remainderMagnitude : remainderMagnitude;
        cpu.WriteAccumulatorPair(size, quotient, remainder);
    }
}
