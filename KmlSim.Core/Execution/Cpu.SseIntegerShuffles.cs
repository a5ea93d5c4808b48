using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Iced.Intel;
using KmlSim.Decoding;

namespace KmlSim.Execution;

/// <summary>SSE2 unpacks, packs with saturation, PSHUFD/PSHUFLW/PSHUFHW and the word insert/extract.</summary>
public sealed unsafe partial class Cpu
{
    private static void RegisterSseIntegerShuffles(HandlerTable table)
    {
        table.Add(Code.Punpcklbw_xmm_xmmm128, &UnpackLowBytes);
        table.Add(Code.Punpcklwd_xmm_xmmm128, &UnpackLowWords);
        table.Add(Code.Punpckldq_xmm_xmmm128, &UnpackLowDwords);
        table.Add(Code.Punpcklqdq_xmm_xmmm128, &UnpackLowQuadwords);
        table.Add(Code.Punpckhbw_xmm_xmmm128, &UnpackHighBytes);
        table.Add(Code.Punpckhwd_xmm_xmmm128, &UnpackHighWords);
        table.Add(Code.Punpckhdq_xmm_xmmm128, &UnpackHighDwords);
        table.Add(Code.Punpckhqdq_xmm_xmmm128, &UnpackHighQuadwords);
        table.Add(Code.Packsswb_xmm_xmmm128, &PackSignedWordsToBytes);
        table.Add(Code.Packssdw_xmm_xmmm128, &PackSignedDwordsToWords);
        table.Add(Code.Packuswb_xmm_xmmm128, &PackUnsignedWordsToBytes);
        table.Add(Code.Pshufd_xmm_xmmm128_imm8, &ShuffleDwords);
        table.Add(Code.Pshuflw_xmm_xmmm128_imm8, &ShuffleLowWords);
        table.Add(Code.Pshufhw_xmm_xmmm128_imm8, &ShuffleHighWords);
        table.Add(Code.Pextrw_r32_xmm_imm8, &ExtractWord);
        table.Add(Code.Pextrw_r64_xmm_imm8, &ExtractWord);
        table.Add(Code.Pinsrw_xmm_r32m16_imm8, &InsertWord);
        table.Add(Code.Pinsrw_xmm_r64m16_imm8, &InsertWord);
    }

    private static void UnpackLowBytes(Cpu cpu, ref DecodedInstruction d) => cpu.Xmm[d.Reg0] = Sse2.UnpackLow(cpu.Xmm[d.Reg0], cpu.XmmSource(ref d));

    private static void UnpackLowWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.UnpackLow(cpu.Xmm[d.Reg0].AsUInt16(), cpu.XmmSource(ref d).AsUInt16()).AsByte();

    private static void UnpackLowDwords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.UnpackLow(cpu.Xmm[d.Reg0].AsUInt32(), cpu.XmmSource(ref d).AsUInt32()).AsByte();

    private static void UnpackLowQuadwords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.UnpackLow(cpu.Xmm[d.Reg0].AsUInt64(), cpu.XmmSource(ref d).AsUInt64()).AsByte();

    private static void UnpackHighBytes(Cpu cpu, ref DecodedInstruction d) => cpu.Xmm[d.Reg0] = Sse2.UnpackHigh(cpu.Xmm[d.Reg0], cpu.XmmSource(ref d));

    private static void UnpackHighWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.UnpackHigh(cpu.Xmm[d.Reg0].AsUInt16(), cpu.XmmSource(ref d).AsUInt16()).AsByte();

    private static void UnpackHighDwords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.UnpackHigh(cpu.Xmm[d.Reg0].AsUInt32(), cpu.XmmSource(ref d).AsUInt32()).AsByte();

    private static void UnpackHighQuadwords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.UnpackHigh(cpu.Xmm[d.Reg0].AsUInt64(), cpu.XmmSource(ref d).AsUInt64()).AsByte();

    private static void PackSignedWordsToBytes(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.PackSignedSaturate(cpu.Xmm[d.Reg0].AsInt16(), cpu.XmmSource(ref d).AsInt16()).AsByte();

    private static void PackSignedDwordsToWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.PackSignedSaturate(cpu.Xmm[d.Reg0].AsInt32(), cpu.XmmSource(ref d).AsInt32()).AsByte();

    private static void PackUnsignedWordsToBytes(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.PackUnsignedSaturate(cpu.Xmm[d.Reg0].AsInt16(), cpu.XmmSource(ref d).AsInt16());

    /// <summary>PSHUFD: each destination dword picks a source dword by a 2-bit field of imm8.</summary>
    private static void ShuffleDwords(Cpu cpu, ref DecodedInstruction d)
    {
        Vector128<uint> source = cpu.XmmSource(ref d).AsUInt32();
        int control = (byte)d.Immediate;
        cpu.Xmm[d.Reg0] = Vector128.Create(
            source.GetElement(control & 3),
            source.GetElement((control >> 2) & 3),
            source.GetElement((control >> 4) & 3),
            source.GetElement((control >> 6) & 3)).AsByte();
    }

    /// <summary>PSHUFLW: shuffles the low four words; the high quadword is copied.</summary>
    private static void ShuffleLowWords(Cpu cpu, ref DecodedInstruction d)
    {
        Vector128<ushort> source = cpu.XmmSource(ref d).AsUInt16();
        cpu.Xmm[d.Reg0] = source.AsUInt64().WithElement(0, ShuffleFourWords(source, 0, (byte)d.Immediate)).AsByte();
    }

    /// <summary>PSHUFHW: shuffles the high four words; the low quadword is copied.</summary>
    private static void ShuffleHighWords(Cpu cpu, ref DecodedInstruction d)
    {
        Vector128<ushort> source = cpu.XmmSource(ref d).AsUInt16();
        cpu.Xmm[d.Reg0] = source.AsUInt64().WithElement(1, ShuffleFourWords(source, 4, (byte)d.Immediate)).AsByte();
    }

    private static ulong ShuffleFourWords(Vector128<ushort> source, int first, int control) =>
        source.GetElement(first + (control & 3))
        | ((ulong)source.GetElement(first + ((control >> 2) & 3)) << 16)
        | ((ulong)source.GetElement(first + ((control >> 4) & 3)) << 32)
        | ((ulong)source.GetElement(first + ((control >> 6) & 3)) << 48);

    /// <summary>PEXTRW: the selected word, zero-extended into the whole register.</summary>
    private static void ExtractWord(Cpu cpu, ref DecodedInstruction d) =>
        cpu.R[d.Reg0] = cpu.Xmm[d.Reg1].AsUInt16().GetElement((byte)d.Immediate & 7);

    /// <summary>PINSRW: the low word of a register or a 16-bit memory operand replaces the selected word.</summary>
    private static void InsertWord(Cpu cpu, ref DecodedInstruction d)
    {
        ushort value = d.Kind1 == OperandKind.Memory ? cpu.Mmu.Read16(cpu.EffectiveAddress(ref d)) : (ushort)cpu.R[d.Reg1];
        cpu.Xmm[d.Reg0] = cpu.Xmm[d.Reg0].AsUInt16().WithElement((byte)d.Immediate & 7, value).AsByte();
    }
}
