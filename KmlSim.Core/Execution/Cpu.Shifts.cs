using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Execution.Operands;
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
        table.Add(Mnemonic.Shl, &Shift<ShiftLeft>);
        table.Add(Mnemonic.Sal, &Shift<ShiftLeft>);
        table.Add(Mnemonic.Shr, &Shift<ShiftRight>);
        table.Add(Mnemonic.Sar, &Shift<ShiftRightArithmetic>);
        table.Add(Mnemonic.Rol, &Shift<RotateLeft>);
        table.Add(Mnemonic.Ror, &Shift<RotateRight>);
        table.Add(Mnemonic.Rcl, &Shift<RotateCarryLeft>);
        table.Add(Mnemonic.Rcr, &Shift<RotateCarryRight>);
        table.Add(Mnemonic.Shld, &Shift<DoubleShiftLeft>);
        table.Add(Mnemonic.Shrd, &Shift<DoubleShiftRight>);
    }

    private static int MaskedCount(ulong count, int size) => (int)(count & (size == 8 ? 0x3FUL : 0x1FUL));

    /// <summary>Replaces CF and OF only (rotates leave SF, ZF, AF, PF alone).</summary>
    private void SetCarryOverflow(ulong carry, ulong overflow) =>
        Rflags = (Rflags & ~(RFlags.CF | RFlags.OF)) | carry | (overflow << 11);

    /// <summary>The count of SHLD/SHRD: the imm8 or CL third operand.</summary>
    private ulong DoubleShiftCount(ref DecodedInstruction d) => d.Kind2 == OperandKind.Immediate ? d.Immediate : R[1] & 0xFF;

    /// <summary>
    /// Every shift and rotate: reads the count and the operands (all that can fault), then lets
    /// <typeparamref name="TShift"/> compute, then stores the result before the flags (the store may fault).
    /// A masked count of zero changes no flag and no memory, but a register destination is still written:
    /// on the host CPU a 32-bit destination gets its upper half cleared even then.
    /// </summary>
    private static void Shift<TShift>(Cpu cpu, ref DecodedInstruction d)
        where TShift : IShiftOperation
    {
        int size = d.Size0;
        int count = MaskedCount(TShift.IsDoubleShift ? cpu.DoubleShiftCount(ref d) : cpu.Read1(ref d, 0), size);
        ulong address = cpu.AddressIfMemory(ref d);
        ulong value = cpu.Read0(ref d, address);
        ulong source = TShift.IsDoubleShift ? cpu.Read1(ref d, address) : 0;
        if (count == 0)
        {
            if (d.Kind0 == OperandKind.Gpr)
            {
                cpu.WriteGpr(d.Reg0, d.Size0, value);
            }

            return;
        }

        ulong result = TShift.Compute(cpu, value, source, count, size, out ulong carry, out ulong overflow);
        cpu.Write0(ref d, address, result);
        if (TShift.IsRotate)
        {
            cpu.SetCarryOverflow(carry, overflow);
        }
        else
        {
            cpu.SetStatus(ResultFlags(result, size) | carry | (overflow << 11));
        }
    }
}
