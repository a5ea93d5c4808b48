using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Iced.Intel;
using KmlSim.Decoding;

namespace KmlSim.Execution;

/// <summary>SSE2 integer add/subtract (wrapping and saturating), averages, sums of differences and multiplies.</summary>
public sealed unsafe partial class Cpu
{
    private static void RegisterSseIntegerArithmetic(HandlerTable table)
    {
        table.Add(Code.Paddb_xmm_xmmm128, &AddBytes);
        table.Add(Code.Paddw_xmm_xmmm128, &AddWords);
        table.Add(Code.Paddd_xmm_xmmm128, &AddDwords);
        table.Add(Code.Paddq_xmm_xmmm128, &AddQuadwords);
        table.Add(Code.Psubb_xmm_xmmm128, &SubtractBytes);
        table.Add(Code.Psubw_xmm_xmmm128, &SubtractWords);
        table.Add(Code.Psubd_xmm_xmmm128, &SubtractDwords);
        table.Add(Code.Psubq_xmm_xmmm128, &SubtractQuadwords);
        table.Add(Code.Paddusb_xmm_xmmm128, &AddSaturateUnsignedBytes);
        table.Add(Code.Paddusw_xmm_xmmm128, &AddSaturateUnsignedWords);
        table.Add(Code.Paddsb_xmm_xmmm128, &AddSaturateSignedBytes);
        table.Add(Code.Paddsw_xmm_xmmm128, &AddSaturateSignedWords);
        table.Add(Code.Psubusb_xmm_xmmm128, &SubtractSaturateUnsignedBytes);
        table.Add(Code.Psubusw_xmm_xmmm128, &SubtractSaturateUnsignedWords);
        table.Add(Code.Psubsb_xmm_xmmm128, &SubtractSaturateSignedBytes);
        table.Add(Code.Psubsw_xmm_xmmm128, &SubtractSaturateSignedWords);
        table.Add(Code.Pavgb_xmm_xmmm128, &AverageBytes);
        table.Add(Code.Pavgw_xmm_xmmm128, &AverageWords);
        table.Add(Code.Psadbw_xmm_xmmm128, &SumAbsoluteDifferences);
        table.Add(Code.Pmullw_xmm_xmmm128, &MultiplyLowWords);
        table.Add(Code.Pmulhw_xmm_xmmm128, &MultiplyHighSignedWords);
        table.Add(Code.Pmulhuw_xmm_xmmm128, &MultiplyHighUnsignedWords);
        table.Add(Code.Pmuludq_xmm_xmmm128, &MultiplyUnsignedDwords);
        table.Add(Code.Pmaddwd_xmm_xmmm128, &MultiplyAddWords);
    }

    private static void AddBytes(Cpu cpu, ref DecodedInstruction d) => cpu.Xmm[d.Reg0] = Sse2.Add(cpu.Xmm[d.Reg0], cpu.XmmSource(ref d));

    private static void AddWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.Add(cpu.Xmm[d.Reg0].AsUInt16(), cpu.XmmSource(ref d).AsUInt16()).AsByte();

    private static void AddDwords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.Add(cpu.Xmm[d.Reg0].AsUInt32(), cpu.XmmSource(ref d).AsUInt32()).AsByte();

    private static void AddQuadwords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.Add(cpu.Xmm[d.Reg0].AsUInt64(), cpu.XmmSource(ref d).AsUInt64()).AsByte();

    private static void SubtractBytes(Cpu cpu, ref DecodedInstruction d) => cpu.Xmm[d.Reg0] = Sse2.Subtract(cpu.Xmm[d.Reg0], cpu.XmmSource(ref d));

    private static void SubtractWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.Subtract(cpu.Xmm[d.Reg0].AsUInt16(), cpu.XmmSource(ref d).AsUInt16()).AsByte();

    private static void SubtractDwords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.Subtract(cpu.Xmm[d.Reg0].AsUInt32(), cpu.XmmSource(ref d).AsUInt32()).AsByte();

    private static void SubtractQuadwords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.Subtract(cpu.Xmm[d.Reg0].AsUInt64(), cpu.XmmSource(ref d).AsUInt64()).AsByte();

    private static void AddSaturateUnsignedBytes(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.AddSaturate(cpu.Xmm[d.Reg0], cpu.XmmSource(ref d));

    private static void AddSaturateUnsignedWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.AddSaturate(cpu.Xmm[d.Reg0].AsUInt16(), cpu.XmmSource(ref d).AsUInt16()).AsByte();

    private static void AddSaturateSignedBytes(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.AddSaturate(cpu.Xmm[d.Reg0].AsSByte(), cpu.XmmSource(ref d).AsSByte()).AsByte();

    private static void AddSaturateSignedWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.AddSaturate(cpu.Xmm[d.Reg0].AsInt16(), cpu.XmmSource(ref d).AsInt16()).AsByte();

    private static void SubtractSaturateUnsignedBytes(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.SubtractSaturate(cpu.Xmm[d.Reg0], cpu.XmmSource(ref d));

    private static void SubtractSaturateUnsignedWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.SubtractSaturate(cpu.Xmm[d.Reg0].AsUInt16(), cpu.XmmSource(ref d).AsUInt16()).AsByte();

    private static void SubtractSaturateSignedBytes(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.SubtractSaturate(cpu.Xmm[d.Reg0].AsSByte(), cpu.XmmSource(ref d).AsSByte()).AsByte();

    private static void SubtractSaturateSignedWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.SubtractSaturate(cpu.Xmm[d.Reg0].AsInt16(), cpu.XmmSource(ref d).AsInt16()).AsByte();

    private static void AverageBytes(Cpu cpu, ref DecodedInstruction d) => cpu.Xmm[d.Reg0] = Sse2.Average(cpu.Xmm[d.Reg0], cpu.XmmSource(ref d));

    private static void AverageWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.Average(cpu.Xmm[d.Reg0].AsUInt16(), cpu.XmmSource(ref d).AsUInt16()).AsByte();

    private static void SumAbsoluteDifferences(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.SumAbsoluteDifferences(cpu.Xmm[d.Reg0], cpu.XmmSource(ref d)).AsByte();

    private static void MultiplyLowWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.MultiplyLow(cpu.Xmm[d.Reg0].AsInt16(), cpu.XmmSource(ref d).AsInt16()).AsByte();

    private static void MultiplyHighSignedWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.MultiplyHigh(cpu.Xmm[d.Reg0].AsInt16(), cpu.XmmSource(ref d).AsInt16()).AsByte();

    private static void MultiplyHighUnsignedWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.MultiplyHigh(cpu.Xmm[d.Reg0].AsUInt16(), cpu.XmmSource(ref d).AsUInt16()).AsByte();

    /// <summary>PMULUDQ: the even unsigned dwords multiplied into two quadwords.</summary>
    private static void MultiplyUnsignedDwords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.Multiply(cpu.Xmm[d.Reg0].AsUInt32(), cpu.XmmSource(ref d).AsUInt32()).AsByte();

    private static void MultiplyAddWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.MultiplyAddAdjacent(cpu.Xmm[d.Reg0].AsInt16(), cpu.XmmSource(ref d).AsInt16()).AsByte();
}
