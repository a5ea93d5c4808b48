using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Iced.Intel;
using KmlSim.Decoding;

namespace KmlSim.Execution;

/// <summary>
/// The MMX register file and its aliasing with the x87 state (AMD64 APM vol. 1, "MMX registers", and vol. 5):
/// MMn is the significand of physical x87 register Rn; writing it sets bits 79:64 (sign and exponent) to all
/// ones; every MMX instruction but EMMS/FEMMS sets TOP to 0 and tags all eight registers valid; EMMS and
/// FEMMS tag them all empty.
/// <para>
/// Most MMX instructions (and SSE's integer extensions on MMX registers) compute exactly what their SSE2 form
/// computes on the low 64 bits of XMM registers whose upper halves are zero. Those run the SSE2 handler
/// itself on two XMM slots beyond the architectural sixteen (<see cref="MmxDestinationSlot"/>,
/// <see cref="MmxSourceSlot"/>), so each operation has one implementation. Packs and high unpacks combine
/// the two operands' halves differently at 64 bits; they too run the SSE2 handler, with the operands
/// arranged so that the 64-bit result is one half of the 128-bit one (<see cref="MmxLift"/>).
/// </para>
/// </summary>
public sealed unsafe partial class Cpu
{
    /// <summary>The XMM slot an MMX destination is lifted into (not architectural: XMM0-15 are 0-15).</summary>
    private const int MmxDestinationSlot = 16;

    /// <summary>The XMM slot an MMX source (register or memory) is lifted into.</summary>
    private const int MmxSourceSlot = 17;

    /// <summary>How an MMX instruction's operands map onto its SSE2 form.</summary>
    private enum MmxLift : byte
    {
        /// <summary>Both operands zero-extended to 128 bits; the result is the low half.</summary>
        LowHalf,

        /// <summary>Packs: destination and source side by side as one 128-bit operand; the result is the low half.</summary>
        SideBySide,

        /// <summary>High unpacks, run as the SSE2 low unpack: interleaving all 64 bits gives the 64-bit result in the high half.</summary>
        HighHalf,

        /// <summary>PEXTRW/PINSRW: like <see cref="LowHalf"/>, with the word index taken modulo 4; PINSRW's r/m16 source stays as it is.</summary>
        WordIndex,

        /// <summary>CVTPI2PS: the result's low half goes into the XMM destination, whose high half is kept.</summary>
        IntoXmmLowHalf,

        /// <summary>CVTPS2PI/CVTTPS2PI: only the low 64 bits of the XMM source are converted (the others could raise flags).</summary>
        FromXmmLowHalf,
    }

    /// <summary>
    /// How many <see cref="Code"/> values Iced defines (they run from 0 without gaps). A property, because
    /// static fields of a partial class initialise in file order and the tables below need it first.
    /// </summary>
    private static int CodeCount => Enum.GetValues<Code>().Length;

    /// <summary>For each MMX code run through SSE2 (indexed by <see cref="Code"/>): the SSE2 handler.</summary>
    private static readonly nint[] MmxSseHandlers = new nint[CodeCount];

    /// <summary>For each MMX code run through SSE2: how its operands are lifted.</summary>
    private static readonly MmxLift[] MmxLifts = new MmxLift[CodeCount];

    internal static void RegisterMmx(HandlerTable table)
    {
        table.Add(Code.Emms, &EmptyMmxState);
        table.Add(Code.Femms, &EmptyMmxState);
        foreach (Code move in (ReadOnlySpan<Code>)[Code.Movd_mm_rm32, Code.Movq_mm_rm64, Code.Movq_mm_mmm64, Code.Movd_rm32_mm, Code.Movq_rm64_mm, Code.Movq_mmm64_mm, Code.Movntq_m64_mm])
        {
            table.Add(move, &MoveMmx);
        }

        table.Add(Code.Movq2dq_xmm_mm, &MoveMmxToXmm);
        table.Add(Code.Movdq2q_mm_xmm, &MoveXmmToMmx);
        table.Add(Code.Maskmovq_rDI_mm_mm, &MaskedStoreMmx);

        // Operations that are their SSE2 form on the low 64 bits.
        foreach (string name in (ReadOnlySpan<string>)[
            "Paddb", "Paddw", "Paddd", "Paddq", "Psubb", "Psubw", "Psubd", "Psubq", "Paddsb", "Paddsw", "Paddusb", "Paddusw",
            "Psubsb", "Psubsw", "Psubusb", "Psubusw", "Pmullw", "Pmulhw", "Pmulhuw", "Pmuludq", "Pmaddwd", "Pavgb", "Pavgw",
            "Psadbw", "Pminub", "Pmaxub", "Pminsw", "Pmaxsw", "Pand", "Pandn", "Por", "Pxor", "Pcmpeqb", "Pcmpeqw", "Pcmpeqd",
            "Pcmpgtb", "Pcmpgtw", "Pcmpgtd", "Psllw", "Pslld", "Psllq", "Psrlw", "Psrld", "Psrlq", "Psraw", "Psrad"])
        {
            LiftToSse(table, Enum.Parse<Code>(name + "_mm_mmm64"), Enum.Parse<Code>(name + "_xmm_xmmm128"), MmxLift.LowHalf);
        }

        foreach (string shift in (ReadOnlySpan<string>)["Psllw", "Pslld", "Psllq", "Psrlw", "Psrld", "Psrlq", "Psraw", "Psrad"])
        {
            LiftToSse(table, Enum.Parse<Code>(shift + "_mm_imm8"), Enum.Parse<Code>(shift + "_xmm_imm8"), MmxLift.LowHalf);
        }

        // The low unpacks read only 32 bits of memory, the low half of each operand, which the SSE2 form interleaves alike.
        LiftToSse(table, Code.Punpcklbw_mm_mmm32, Code.Punpcklbw_xmm_xmmm128, MmxLift.LowHalf);
        LiftToSse(table, Code.Punpcklwd_mm_mmm32, Code.Punpcklwd_xmm_xmmm128, MmxLift.LowHalf);
        LiftToSse(table, Code.Punpckldq_mm_mmm32, Code.Punpckldq_xmm_xmmm128, MmxLift.LowHalf);
        LiftToSse(table, Code.Punpckhbw_mm_mmm64, Code.Punpcklbw_xmm_xmmm128, MmxLift.HighHalf);
        LiftToSse(table, Code.Punpckhwd_mm_mmm64, Code.Punpcklwd_xmm_xmmm128, MmxLift.HighHalf);
        LiftToSse(table, Code.Punpckhdq_mm_mmm64, Code.Punpckldq_xmm_xmmm128, MmxLift.HighHalf);
        LiftToSse(table, Code.Packsswb_mm_mmm64, Code.Packsswb_xmm_xmmm128, MmxLift.SideBySide);
        LiftToSse(table, Code.Packssdw_mm_mmm64, Code.Packssdw_xmm_xmmm128, MmxLift.SideBySide);
        LiftToSse(table, Code.Packuswb_mm_mmm64, Code.Packuswb_xmm_xmmm128, MmxLift.SideBySide);

        // PSHUFW is PSHUFLW on the low four words.
        LiftToSse(table, Code.Pshufw_mm_mmm64_imm8, Code.Pshuflw_xmm_xmmm128_imm8, MmxLift.LowHalf);
        LiftToSse(table, Code.Pmovmskb_r32_mm, Code.Pmovmskb_r32_xmm, MmxLift.LowHalf);
        LiftToSse(table, Code.Pmovmskb_r64_mm, Code.Pmovmskb_r64_xmm, MmxLift.LowHalf);
        LiftToSse(table, Code.Pextrw_r32_mm_imm8, Code.Pextrw_r32_xmm_imm8, MmxLift.WordIndex);
        LiftToSse(table, Code.Pextrw_r64_mm_imm8, Code.Pextrw_r64_xmm_imm8, MmxLift.WordIndex);
        LiftToSse(table, Code.Pinsrw_mm_r32m16_imm8, Code.Pinsrw_xmm_r32m16_imm8, MmxLift.WordIndex);
        LiftToSse(table, Code.Pinsrw_mm_r64m16_imm8, Code.Pinsrw_xmm_r64m16_imm8, MmxLift.WordIndex);

        // Conversions between MMX dword pairs and SSE singles or doubles.
        LiftToSse(table, Code.Cvtpi2ps_xmm_mmm64, Code.Cvtdq2ps_xmm_xmmm128, MmxLift.IntoXmmLowHalf);
        LiftToSse(table, Code.Cvtpi2pd_xmm_mmm64, Code.Cvtdq2pd_xmm_xmmm64, MmxLift.LowHalf);
        LiftToSse(table, Code.Cvtps2pi_mm_xmmm64, Code.Cvtps2dq_xmm_xmmm128, MmxLift.FromXmmLowHalf);
        LiftToSse(table, Code.Cvttps2pi_mm_xmmm64, Code.Cvttps2dq_xmm_xmmm128, MmxLift.FromXmmLowHalf);
        LiftToSse(table, Code.Cvtpd2pi_mm_xmmm128, Code.Cvtpd2dq_xmm_xmmm128, MmxLift.LowHalf);
        LiftToSse(table, Code.Cvttpd2pi_mm_xmmm128, Code.Cvttpd2dq_xmm_xmmm128, MmxLift.LowHalf);
    }

    private static void LiftToSse(HandlerTable table, Code mmx, Code sse, MmxLift lift)
    {
        MmxSseHandlers[(int)mmx] = (nint)table.Find(sse, sse.Mnemonic());
        MmxLifts[(int)mmx] = lift;
        table.Add(mmx, &RunMmxAsSse);
    }

    /// <summary>Reads MMn (the significand of physical register Rn).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong ReadMmx(int index) => Fpr[index].Significand;

    /// <summary>Writes MMn: the significand, with sign and exponent all ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteMmx(int index, ulong value) => Fpr[index] = new Float80(0xFFFF, value);

    /// <summary>What every MMX instruction but EMMS/FEMMS does to the x87 state: TOP = 0, all tags valid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void EnterMmxState()
    {
        FpuTop = 0;
        FpuEmpty = 0;
    }

    /// <summary>EMMS and FEMMS: all x87 tags empty (AMD documents FEMMS as a faster EMMS; both leave TOP alone).</summary>
    private static void EmptyMmxState(Cpu cpu, ref DecodedInstruction d) => cpu.FpuEmpty = 0xFF;

    /// <summary>MOVD/MOVQ between MMX registers, GPRs and memory, and MOVNTQ (the hint changes nothing architecturally).</summary>
    private static void MoveMmx(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        ulong value = cpu.Read1(ref d, address);
        cpu.Write0(ref d, address, value);
        cpu.EnterMmxState();
    }

    /// <summary>MOVQ2DQ: the MMX register, zero-extended into an XMM register.</summary>
    private static void MoveMmxToXmm(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.Xmm[d.Reg0] = Vector128.CreateScalar(cpu.ReadMmx(d.Reg1)).AsByte();
        cpu.EnterMmxState();
    }

    /// <summary>MOVDQ2Q: the low quadword of an XMM register into an MMX register.</summary>
    private static void MoveXmmToMmx(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.WriteMmx(d.Reg0, cpu.Xmm[d.Reg1].AsUInt64().ToScalar());
        cpu.EnterMmxState();
    }

    /// <summary>MASKMOVQ: stores the bytes of the first register whose mask byte (in the second) has its sign bit set, at [RDI].</summary>
    private static void MaskedStoreMmx(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.StoreMaskedBytes(ref d, Vector128.CreateScalar(cpu.ReadMmx(d.Reg1)).AsByte(), Vector128.CreateScalar(cpu.ReadMmx(d.Reg2)).AsByte(), 8);
        cpu.EnterMmxState();
    }

    /// <summary>
    /// Runs an MMX instruction through its SSE2 form, lifting the operands as <see cref="MmxLifts"/> says. XMM
    /// operands and 16-byte memory stay as they are. Only an instruction with an MMX register operand
    /// switches the x87 unit to MMX use (CVTPI2PS/CVTPI2PD from memory do not).
    /// </summary>
    private static void RunMmxAsSse(Cpu cpu, ref DecodedInstruction d)
    {
        MmxLift lift = MmxLifts[(int)d.Code];
        DecodedInstruction lifted = d;
        ulong destination = d.Kind0 == OperandKind.Mmx ? cpu.ReadMmx(d.Reg0) : 0;
        ulong source = 0;
        bool liftSource = d.Kind1 switch
        {
            OperandKind.Mmx => true,
            OperandKind.Memory => lift != MmxLift.WordIndex && d.MemSize <= 8,
            OperandKind.Xmm => lift == MmxLift.FromXmmLowHalf,
            _ => false,
        };
        if (liftSource)
        {
            source = d.Kind1 switch
            {
                OperandKind.Mmx => cpu.ReadMmx(d.Reg1),
                OperandKind.Xmm => cpu.Xmm[d.Reg1].AsUInt64().ToScalar(),
                _ => cpu.Mmu.Read(cpu.EffectiveAddress(ref d), d.MemSize),
            };
            lifted.Kind1 = OperandKind.Xmm;
            lifted.Reg1 = MmxSourceSlot;
        }

        if (lift == MmxLift.SideBySide)
        {
            cpu.Xmm[MmxDestinationSlot] = cpu.Xmm[MmxSourceSlot] = Vector128.Create(destination, source).AsByte();
        }
        else
        {
            cpu.Xmm[MmxDestinationSlot] = Vector128.CreateScalar(destination).AsByte();
            cpu.Xmm[MmxSourceSlot] = Vector128.CreateScalar(source).AsByte();
        }

        if (d.Kind0 == OperandKind.Mmx || lift == MmxLift.IntoXmmLowHalf)
        {
            lifted.Kind0 = OperandKind.Xmm;
            lifted.Reg0 = MmxDestinationSlot;
        }

        if (lift == MmxLift.WordIndex)
        {
            lifted.Immediate &= 3;
        }

        ((delegate*<Cpu, ref DecodedInstruction, void>)MmxSseHandlers[(int)d.Code])(cpu, ref lifted);
        Vector128<ulong> result = cpu.Xmm[MmxDestinationSlot].AsUInt64();
        if (d.Kind0 == OperandKind.Mmx)
        {
            cpu.WriteMmx(d.Reg0, lift == MmxLift.HighHalf ? result.GetElement(1) : result.GetElement(0));
        }
        else if (lift == MmxLift.IntoXmmLowHalf)
        {
            cpu.Xmm[d.Reg0] = cpu.Xmm[d.Reg0].AsUInt64().WithElement(0, result.GetElement(0)).AsByte();
        }

        if (d.Kind0 == OperandKind.Mmx || d.Kind1 == OperandKind.Mmx)
        {
            cpu.EnterMmxState();
        }
    }
}
