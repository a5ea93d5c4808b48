using System.Runtime.Intrinsics;
using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Interrupts;

namespace KmlSim.Execution;

/// <summary>
/// SSE/SSE2 data movement: full-register moves, scalar and half-register moves, GPR transfers, sign-mask
/// extraction, MXCSR load/store, float shuffles and non-temporal stores (prefetches and fences are hints in
/// Cpu.System.cs). All forms are
/// registered by <see cref="Code"/>: the MMX forms of the same mnemonics stay #UD, and MOVSD/CMPSD share
/// their mnemonic with the string instructions.
/// </summary>
public sealed unsafe partial class Cpu
{
    internal static void RegisterSseMoves(HandlerTable table)
    {
        table.Add(Code.Movaps_xmm_xmmm128, &MoveXmmAligned);
        table.Add(Code.Movaps_xmmm128_xmm, &MoveXmmAligned);
        table.Add(Code.Movapd_xmm_xmmm128, &MoveXmmAligned);
        table.Add(Code.Movapd_xmmm128_xmm, &MoveXmmAligned);
        table.Add(Code.Movdqa_xmm_xmmm128, &MoveXmmAligned);
        table.Add(Code.Movdqa_xmmm128_xmm, &MoveXmmAligned);
        table.Add(Code.Movntdq_m128_xmm, &MoveXmmAligned);
        table.Add(Code.Movntps_m128_xmm, &MoveXmmAligned);
        table.Add(Code.Movntpd_m128_xmm, &MoveXmmAligned);
        table.Add(Code.Movups_xmm_xmmm128, &MoveXmmUnaligned);
        table.Add(Code.Movups_xmmm128_xmm, &MoveXmmUnaligned);
        table.Add(Code.Movupd_xmm_xmmm128, &MoveXmmUnaligned);
        table.Add(Code.Movupd_xmmm128_xmm, &MoveXmmUnaligned);
        table.Add(Code.Movdqu_xmm_xmmm128, &MoveXmmUnaligned);
        table.Add(Code.Movdqu_xmmm128_xmm, &MoveXmmUnaligned);
        table.Add(Code.Movnti_m32_r32, &MoveNonTemporalInteger);
        table.Add(Code.Movnti_m64_r64, &MoveNonTemporalInteger);

        table.Add(Code.Movd_xmm_rm32, &MoveGprToXmm);
        table.Add(Code.Movq_xmm_rm64, &MoveGprToXmm);
        table.Add(Code.Movd_rm32_xmm, &MoveXmmToGpr);
        table.Add(Code.Movq_rm64_xmm, &MoveXmmToGpr);
        table.Add(Code.Movq_xmm_xmmm64, &MoveQuadwordZeroExtend);
        table.Add(Code.Movq_xmmm64_xmm, &MoveQuadwordZeroExtend);
        table.Add(Code.Movsd_xmm_xmmm64, &MoveScalarDouble);
        table.Add(Code.Movsd_xmmm64_xmm, &MoveScalarDouble);
        table.Add(Code.Movss_xmm_xmmm32, &MoveScalarSingle);
        table.Add(Code.Movss_xmmm32_xmm, &MoveScalarSingle);

        table.Add(Code.Movlps_xmm_m64, &LoadLowQuadword);
        table.Add(Code.Movlpd_xmm_m64, &LoadLowQuadword);
        table.Add(Code.Movhps_xmm_m64, &LoadHighQuadword);
        table.Add(Code.Movhpd_xmm_m64, &LoadHighQuadword);
        table.Add(Code.Movlps_m64_xmm, &StoreLowQuadword);
        table.Add(Code.Movlpd_m64_xmm, &StoreLowQuadword);
        table.Add(Code.Movhps_m64_xmm, &StoreHighQuadword);
        table.Add(Code.Movhpd_m64_xmm, &StoreHighQuadword);
        table.Add(Code.Movhlps_xmm_xmm, &MoveHighToLow);
        table.Add(Code.Movlhps_xmm_xmm, &MoveLowToHigh);

        table.Add(Code.Movmskps_r32_xmm, &MoveMaskSingle);
        table.Add(Code.Movmskps_r64_xmm, &MoveMaskSingle);
        table.Add(Code.Movmskpd_r32_xmm, &MoveMaskDouble);
        table.Add(Code.Movmskpd_r64_xmm, &MoveMaskDouble);
        table.Add(Code.Ldmxcsr_m32, &LoadMxcsr);
        table.Add(Code.Stmxcsr_m32, &StoreMxcsr);

        // The float unpacks move the same bits as the integer dword/qword unpacks.
        table.Add(Code.Unpcklps_xmm_xmmm128, &UnpackLowDwords);
        table.Add(Code.Unpckhps_xmm_xmmm128, &UnpackHighDwords);
        table.Add(Code.Unpcklpd_xmm_xmmm128, &UnpackLowQuadwords);
        table.Add(Code.Unpckhpd_xmm_xmmm128, &UnpackHighQuadwords);
        table.Add(Code.Shufps_xmm_xmmm128_imm8, &ShuffleSingles);
        table.Add(Code.Shufpd_xmm_xmmm128_imm8, &ShuffleDoubles);
    }

    /// <summary>MOVAPS/MOVAPD/MOVDQA/MOVNTxx: a 16-byte memory operand must be aligned.</summary>
    private static void MoveXmmAligned(Cpu cpu, ref DecodedInstruction d)
    {
        if (d.Kind0 == OperandKind.Memory)
        {
            ulong address = cpu.EffectiveAddress(ref d);
            CheckXmmAlignment(address);
            cpu.WriteXmmMemory(address, cpu.Xmm[d.Reg1]);
            return;
        }

        cpu.Xmm[d.Reg0] = cpu.XmmSource(ref d);
    }

    /// <summary>MOVUPS/MOVUPD/MOVDQU.</summary>
    private static void MoveXmmUnaligned(Cpu cpu, ref DecodedInstruction d)
    {
        if (d.Kind0 == OperandKind.Memory)
        {
            cpu.WriteXmmMemory(cpu.EffectiveAddress(ref d), cpu.Xmm[d.Reg1]);
            return;
        }

        cpu.Xmm[d.Reg0] = d.Kind1 == OperandKind.Xmm ? cpu.Xmm[d.Reg1] : cpu.ReadXmmMemory(cpu.EffectiveAddress(ref d));
    }

    private static void MoveNonTemporalInteger(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Mmu.Write(cpu.EffectiveAddress(ref d), cpu.ReadGpr(d.Reg1, d.Size1), d.Size1);

    /// <summary>MOVD/MOVQ xmm, r/m: the value lands in the low lane, the rest of the register is zeroed.</summary>
    private static void MoveGprToXmm(Cpu cpu, ref DecodedInstruction d)
    {
        ulong value = cpu.Read1(ref d, cpu.AddressIfMemory(ref d));
        cpu.Xmm[d.Reg0] = Vector128.CreateScalar(value).AsByte();
    }

    /// <summary>MOVD/MOVQ r/m, xmm (a 32-bit register destination is zero-extended as usual).</summary>
    private static void MoveXmmToGpr(Cpu cpu, ref DecodedInstruction d)
    {
        ulong value = cpu.Xmm[d.Reg1].AsUInt64().ToScalar();
        cpu.Write0(ref d, cpu.AddressIfMemory(ref d), value);
    }

    /// <summary>MOVQ xmm, xmm/m64 and MOVQ xmm/m64, xmm: a register destination gets the low quadword and zeroes.</summary>
    private static void MoveQuadwordZeroExtend(Cpu cpu, ref DecodedInstruction d)
    {
        if (d.Kind0 == OperandKind.Memory)
        {
            cpu.Mmu.Write64(cpu.EffectiveAddress(ref d), cpu.Xmm[d.Reg1].AsUInt64().ToScalar());
            return;
        }

        cpu.Xmm[d.Reg0] = Vector128.CreateScalar(cpu.XmmSource(ref d).AsUInt64().ToScalar()).AsByte();
    }

    /// <summary>MOVSD: register to register merges the low quadword; a load zeroes the upper half; a store writes 8 bytes.</summary>
    private static void MoveScalarDouble(Cpu cpu, ref DecodedInstruction d)
    {
        if (d.Kind0 == OperandKind.Memory)
        {
            cpu.Mmu.Write64(cpu.EffectiveAddress(ref d), cpu.Xmm[d.Reg1].AsUInt64().ToScalar());
        }
        else if (d.Kind1 == OperandKind.Memory)
        {
            cpu.Xmm[d.Reg0] = Vector128.CreateScalar(cpu.Mmu.Read64(cpu.EffectiveAddress(ref d))).AsByte();
        }
        else
        {
            cpu.Xmm[d.Reg0] = cpu.Xmm[d.Reg0].AsUInt64().WithElement(0, cpu.Xmm[d.Reg1].AsUInt64().ToScalar()).AsByte();
        }
    }

    /// <summary>MOVSS: as <see cref="MoveScalarDouble"/> on the low doubleword.</summary>
    private static void MoveScalarSingle(Cpu cpu, ref DecodedInstruction d)
    {
        if (d.Kind0 == OperandKind.Memory)
        {
            cpu.Mmu.Write32(cpu.EffectiveAddress(ref d), cpu.Xmm[d.Reg1].AsUInt32().ToScalar());
        }
        else if (d.Kind1 == OperandKind.Memory)
        {
            cpu.Xmm[d.Reg0] = Vector128.CreateScalar(cpu.Mmu.Read32(cpu.EffectiveAddress(ref d))).AsByte();
        }
        else
        {
            cpu.Xmm[d.Reg0] = cpu.Xmm[d.Reg0].AsUInt32().WithElement(0, cpu.Xmm[d.Reg1].AsUInt32().ToScalar()).AsByte();
        }
    }

    private static void LoadLowQuadword(Cpu cpu, ref DecodedInstruction d)
    {
        ulong value = cpu.Mmu.Read64(cpu.EffectiveAddress(ref d));
        cpu.Xmm[d.Reg0] = cpu.Xmm[d.Reg0].AsUInt64().WithElement(0, value).AsByte();
    }

    private static void LoadHighQuadword(Cpu cpu, ref DecodedInstruction d)
    {
        ulong value = cpu.Mmu.Read64(cpu.EffectiveAddress(ref d));
        cpu.Xmm[d.Reg0] = cpu.Xmm[d.Reg0].AsUInt64().WithElement(1, value).AsByte();
    }

    private static void StoreLowQuadword(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Mmu.Write64(cpu.EffectiveAddress(ref d), cpu.Xmm[d.Reg1].AsUInt64().GetElement(0));

    private static void StoreHighQuadword(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Mmu.Write64(cpu.EffectiveAddress(ref d), cpu.Xmm[d.Reg1].AsUInt64().GetElement(1));

    private static void MoveHighToLow(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = cpu.Xmm[d.Reg0].AsUInt64().WithElement(0, cpu.Xmm[d.Reg1].AsUInt64().GetElement(1)).AsByte();

    private static void MoveLowToHigh(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = cpu.Xmm[d.Reg0].AsUInt64().WithElement(1, cpu.Xmm[d.Reg1].AsUInt64().GetElement(0)).AsByte();

    private static void MoveMaskSingle(Cpu cpu, ref DecodedInstruction d) =>
        cpu.R[d.Reg0] = cpu.Xmm[d.Reg1].AsUInt32().ExtractMostSignificantBits();

    private static void MoveMaskDouble(Cpu cpu, ref DecodedInstruction d) =>
        cpu.R[d.Reg0] = cpu.Xmm[d.Reg1].AsUInt64().ExtractMostSignificantBits();

    /// <summary>LDMXCSR: setting a bit outside MXCSR_MASK is #GP(0).</summary>
    private static void LoadMxcsr(Cpu cpu, ref DecodedInstruction d)
    {
        uint value = cpu.Mmu.Read32(cpu.EffectiveAddress(ref d));
        if ((value & ~MxcsrWritableMask) != 0)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }

        cpu.Mxcsr = value;
    }

    private static void StoreMxcsr(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Mmu.Write32(cpu.EffectiveAddress(ref d), cpu.Mxcsr);

    /// <summary>SHUFPS: two lanes chosen from the destination, two from the source, by 2-bit fields of imm8.</summary>
    private static void ShuffleSingles(Cpu cpu, ref DecodedInstruction d)
    {
        Vector128<uint> source = cpu.XmmSource(ref d).AsUInt32();
        Vector128<uint> destination = cpu.Xmm[d.Reg0].AsUInt32();
        int control = (byte)d.Immediate;
        cpu.Xmm[d.Reg0] = Vector128.Create(
            destination.GetElement(control & 3),
            destination.GetElement((control >> 2) & 3),
            source.GetElement((control >> 4) & 3),
            source.GetElement((control >> 6) & 3)).AsByte();
    }

    /// <summary>SHUFPD: the low lane from the destination (imm8 bit 0), the high lane from the source (bit 1).</summary>
    private static void ShuffleDoubles(Cpu cpu, ref DecodedInstruction d)
    {
        Vector128<ulong> source = cpu.XmmSource(ref d).AsUInt64();
        Vector128<ulong> destination = cpu.Xmm[d.Reg0].AsUInt64();
        int control = (byte)d.Immediate;
        cpu.Xmm[d.Reg0] = Vector128.Create(destination.GetElement(control & 1), source.GetElement((control >> 1) & 1)).AsByte();
    }
}
