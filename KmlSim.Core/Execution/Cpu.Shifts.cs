using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// Shifts and rotates: SHL/SAL, SHR, SAR, ROL, ROR, RCL, RCR (count 1, imm8 and CL forms), SHLD, SHRD
/// (AMD64 APM vol. 3). The count is masked to 6 bits for 64-bit operands and 5 bits otherwise; a masked
/// count of zero changes neither the destination nor any flag. Where the manual leaves a flag undefined
/// (AF after a shift, OF after a multi-bit shift or rotate, CF of SHL/SHR past the operand width) the
/// handlers compute the natural formula and leave AF clear.
/// </summary>
public sealed unsafe partial class Cpu
{
    internal static void RegisterShifts(HandlerTable table)
    {
        table.Add(Mnemonic.Shl, &Shl);
        table.Add(Mnemonic.Sal, &Shl);
        table.Add(Mnemonic.Shr, &Shr);
        table.Add(Mnemonic.Sar, &Sar);
        table.Add(Mnemonic.Rol, &Rol);
        table.Add(Mnemonic.Ror, &Ror);
        table.Add(Mnemonic.Rcl, &Rcl);
        table.Add(Mnemonic.Rcr, &Rcr);
        table.Add(Mnemonic.Shld, &Shld);
        table.Add(Mnemonic.Shrd, &Shrd);
    }

    private static int MaskedCount(ulong count, int size) => (int)(count & (size == 8 ? 0x3FUL : 0x1FUL));

    /// <summary>Replaces CF and OF only (rotates leave SF, ZF, AF, PF alone).</summary>
    private void SetCarryOverflow(ulong carry, ulong overflow) =>
        Rflags = (Rflags & ~(RFlags.CF | RFlags.OF)) | carry | (overflow << 11);

    /// <summary>
    /// A masked count of zero changes no flag and no memory, but a register destination is still written:
    /// on the host CPU a 32-bit destination gets its upper half cleared even then.
    /// </summary>
    private void WriteZeroCountResult(ref DecodedInstruction d, ulong value)
    {
        if (d.Kind0 == OperandKind.Gpr)
        {
            WriteGpr(d.Reg0, d.Size0, value);
        }
    }

    /// <summary>Stores a shift result, then its flags (the store may fault, so it comes first).</summary>
    private void FinishShift(ref DecodedInstruction d, ulong address, ulong result, ulong carry, ulong overflow)
    {
        Write0(ref d, address, result);
        SetStatus(ResultFlags(result, d.Size0) | carry | (overflow << 11));
    }

    private static void Shl(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.Size0;
        int count = MaskedCount(cpu.Read1(ref d, 0), size);
        ulong address = cpu.AddressIfMemory(ref d);
        ulong value = cpu.Read0(ref d, address);
        if (count == 0)
        {
            cpu.WriteZeroCountResult(ref d, value);
            return;
        }

        int bits = size * 8;
        ulong result = (value << count) & SizeMask(size);
        ulong carry = count <= bits ? (value >> (bits - count)) & 1 : 0;
        cpu.FinishShift(ref d, address, result, carry, (result >> SignShift(size)) ^ carry);
    }

    private static void Shr(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.Size0;
        int count = MaskedCount(cpu.Read1(ref d, 0), size);
        ulong address = cpu.AddressIfMemory(ref d);
        ulong value = cpu.Read0(ref d, address);
        if (count == 0)
        {
            cpu.WriteZeroCountResult(ref d, value);
            return;
        }

        ulong result = value >> count;
        cpu.FinishShift(ref d, address, result, (value >> (count - 1)) & 1, value >> SignShift(size));
    }

    private static void Sar(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.Size0;
        int count = MaskedCount(cpu.Read1(ref d, 0), size);
        ulong address = cpu.AddressIfMemory(ref d);
        ulong value = cpu.Read0(ref d, address);
        if (count == 0)
        {
            cpu.WriteZeroCountResult(ref d, value);
            return;
        }

        long signed = SignExtend(value, size);
        ulong result = (ulong)(signed >> count) & SizeMask(size);
        cpu.FinishShift(ref d, address, result, (ulong)(signed >> (count - 1)) & 1, 0);
    }

    private static void Rol(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.Size0;
        int count = MaskedCount(cpu.Read1(ref d, 0), size);
        ulong address = cpu.AddressIfMemory(ref d);
        ulong value = cpu.Read0(ref d, address);
        if (count == 0)
        {
            cpu.WriteZeroCountResult(ref d, value);
            return;
        }

        int bits = size * 8;
        int rotate = count & (bits - 1);
        ulong result = rotate == 0 ? value : ((value << rotate) | (value >> (bits - rotate))) & SizeMask(size);
        ulong carry = result & 1;
        cpu.Write0(ref d, address, result);
        cpu.SetCarryOverflow(carry, (result >> SignShift(size)) ^ carry);
    }

    private static void Ror(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.Size0;
        int count = MaskedCount(cpu.Read1(ref d, 0), size);
        ulong address = cpu.AddressIfMemory(ref d);
        ulong value = cpu.Read0(ref d, address);
        if (count == 0)
        {
            cpu.WriteZeroCountResult(ref d, value);
            return;
        }

        int bits = size * 8;
        int rotate = count & (bits - 1);
        ulong result = rotate == 0 ? value : ((value >> rotate) | (value << (bits - rotate))) & SizeMask(size);
        int sign = SignShift(size);
        ulong carry = result >> sign;
        cpu.Write0(ref d, address, result);
        cpu.SetCarryOverflow(carry, carry ^ ((result >> (sign - 1)) & 1));
    }

    /// <summary>RCL: a rotate of the (width + 1)-bit value CF:operand, by the masked count modulo width + 1.</summary>
    private static void Rcl(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.Size0;
        int count = MaskedCount(cpu.Read1(ref d, 0), size);
        ulong address = cpu.AddressIfMemory(ref d);
        ulong value = cpu.Read0(ref d, address);
        if (count == 0)
        {
            cpu.WriteZeroCountResult(ref d, value);
            return;
        }

        int bits = size * 8;
        int rotate = count % (bits + 1);
        UInt128 wide = ((UInt128)cpu.CarryFlag() << bits) | value;
        UInt128 rotated = rotate == 0 ? wide : (wide << rotate) | (wide >> (bits + 1 - rotate));
        ulong result = (ulong)rotated & SizeMask(size);
        ulong carry = (ulong)(rotated >> bits) & 1;
        cpu.Write0(ref d, address, result);
        cpu.SetCarryOverflow(carry, (result >> SignShift(size)) ^ carry);
    }

    /// <summary>RCR: as <see cref="Rcl"/>, the other way.</summary>
    private static void Rcr(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.Size0;
        int count = MaskedCount(cpu.Read1(ref d, 0), size);
        ulong address = cpu.AddressIfMemory(ref d);
        ulong value = cpu.Read0(ref d, address);
        if (count == 0)
        {
            cpu.WriteZeroCountResult(ref d, value);
            return;
        }

        int bits = size * 8;
        int rotate = count % (bits + 1);
        UInt128 wide = ((UInt128)cpu.CarryFlag() << bits) | value;
        UInt128 rotated = rotate == 0 ? wide : (wide >> rotate) | (wide << (bits + 1 - rotate));
        ulong result = (ulong)rotated & SizeMask(size);
        ulong carry = (ulong)(rotated >> bits) & 1;
        int sign = SignShift(size);
        cpu.Write0(ref d, address, result);
        cpu.SetCarryOverflow(carry, (result >> sign) ^ ((result >> (sign - 1)) & 1));
    }

    /// <summary>The count of SHLD/SHRD: the imm8 or CL third operand.</summary>
    private ulong DoubleShiftCount(ref DecodedInstruction d) => d.Kind2 == OperandKind.Immediate ? d.Immediate : R[1] & 0xFF;

    /// <summary>
    /// SHLD: the destination shifted left, filled from the top of the source. Computed on the 2×width
    /// value dest:src, so a 16-bit count above 16 (undefined in the manual) still gives a defined answer.
    /// </summary>
    private static void Shld(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.Size0;
        int count = MaskedCount(cpu.DoubleShiftCount(ref d), size);
        ulong address = cpu.AddressIfMemory(ref d);
        ulong value = cpu.Read0(ref d, address);
        ulong source = cpu.Read1(ref d, address);
        if (count == 0)
        {
            cpu.WriteZeroCountResult(ref d, value);
            return;
        }

        int bits = size * 8;
        UInt128 shifted = (((UInt128)value << bits) | source) << count;
        ulong result = (ulong)(shifted >> bits) & SizeMask(size);
        ulong carry = count <= bits ? (value >> (bits - count)) & 1 : 0;
        cpu.FinishShift(ref d, address, result, carry, ((result ^ value) >> SignShift(size)) & 1);
    }

    /// <summary>SHRD: the destination shifted right, filled from the bottom of the source (on src:dest).</summary>
    private static void Shrd(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.Size0;
        int count = MaskedCount(cpu.DoubleShiftCount(ref d), size);
        ulong address = cpu.AddressIfMemory(ref d);
        ulong value = cpu.Read0(ref d, address);
        ulong source = cpu.Read1(ref d, address);
        if (count == 0)
        {
            cpu.WriteZeroCountResult(ref d, value);
            return;
        }

        int bits = size * 8;
        UInt128 wide = ((UInt128)source << bits) | value;
        ulong result = (ulong)(wide >> count) & SizeMask(size);
        ulong carry = (ulong)(wide >> (count - 1)) & 1;
        cpu.FinishShift(ref d, address, result, carry, ((result ^ value) >> SignShift(size)) & 1);
    }
}
