using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Iced.Intel;
using KmlSim.Decoding;

namespace KmlSim.Execution;

/// <summary>
/// SSE2 shifts. The immediate forms are executed as the register-count forms with the immediate as the
/// count: both take the count as an unsigned 64-bit number, so a count beyond the lane width zeroes the
/// lane (or fills it with the sign for PSRA), exactly as the immediate forms do.
/// </summary>
public sealed unsafe partial class Cpu
{
    private static void RegisterSseIntegerShifts(HandlerTable table)
    {
        table.Add(Code.Psllw_xmm_imm8, &ShiftLeftWords);
        table.Add(Code.Psllw_xmm_xmmm128, &ShiftLeftWords);
        table.Add(Code.Pslld_xmm_imm8, &ShiftLeftDwords);
        table.Add(Code.Pslld_xmm_xmmm128, &ShiftLeftDwords);
        table.Add(Code.Psllq_xmm_imm8, &ShiftLeftQuadwords);
        table.Add(Code.Psllq_xmm_xmmm128, &ShiftLeftQuadwords);
        table.Add(Code.Psrlw_xmm_imm8, &ShiftRightWords);
        table.Add(Code.Psrlw_xmm_xmmm128, &ShiftRightWords);
        table.Add(Code.Psrld_xmm_imm8, &ShiftRightDwords);
        table.Add(Code.Psrld_xmm_xmmm128, &ShiftRightDwords);
        table.Add(Code.Psrlq_xmm_imm8, &ShiftRightQuadwords);
        table.Add(Code.Psrlq_xmm_xmmm128, &ShiftRightQuadwords);
        table.Add(Code.Psraw_xmm_imm8, &ShiftRightArithmeticWords);
        table.Add(Code.Psraw_xmm_xmmm128, &ShiftRightArithmeticWords);
        table.Add(Code.Psrad_xmm_imm8, &ShiftRightArithmeticDwords);
        table.Add(Code.Psrad_xmm_xmmm128, &ShiftRightArithmeticDwords);
        table.Add(Code.Pslldq_xmm_imm8, &ShiftLeftBytes);
        table.Add(Code.Psrldq_xmm_imm8, &ShiftRightBytes);
    }

    /// <summary>The shift count: the immediate, or the low quadword of the xmm/m128 source.</summary>
    private Vector128<byte> ShiftCount(ref DecodedInstruction d) =>
        d.Kind1 == OperandKind.Immediate ? Vector128.CreateScalar((ulong)(byte)d.Immediate).AsByte() : XmmSource(ref d);

    private static void ShiftLeftWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.ShiftLeftLogical(cpu.Xmm[d.Reg0].AsUInt16(), cpu.ShiftCount(ref d).AsUInt16()).AsByte();

    private static void ShiftLeftDwords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.ShiftLeftLogical(cpu.Xmm[d.Reg0].AsUInt32(), cpu.ShiftCount(ref d).AsUInt32()).AsByte();

    private static void ShiftLeftQuadwords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.ShiftLeftLogical(cpu.Xmm[d.Reg0].AsUInt64(), cpu.ShiftCount(ref d).AsUInt64()).AsByte();

    private static void ShiftRightWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.ShiftRightLogical(cpu.Xmm[d.Reg0].AsUInt16(), cpu.ShiftCount(ref d).AsUInt16()).AsByte();

    private static void ShiftRightDwords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.ShiftRightLogical(cpu.Xmm[d.Reg0].AsUInt32(), cpu.ShiftCount(ref d).AsUInt32()).AsByte();

    private static void ShiftRightQuadwords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.ShiftRightLogical(cpu.Xmm[d.Reg0].AsUInt64(), cpu.ShiftCount(ref d).AsUInt64()).AsByte();

    private static void ShiftRightArithmeticWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.ShiftRightArithmetic(cpu.Xmm[d.Reg0].AsInt16(), cpu.ShiftCount(ref d).AsInt16()).AsByte();

    private static void ShiftRightArithmeticDwords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.ShiftRightArithmetic(cpu.Xmm[d.Reg0].AsInt32(), cpu.ShiftCount(ref d).AsInt32()).AsByte();

    /// <summary>
    /// PSLLDQ: byte i takes byte i - n, or zero. The shuffle indices i - n wrap to 240..255 for the vacated
    /// bytes, which <see cref="Vector128.Shuffle(Vector128{byte}, Vector128{byte})"/> turns into zeros; n is
    /// capped at 16 so that a large count cannot wrap back into range.
    /// </summary>
    private static void ShiftLeftBytes(Cpu cpu, ref DecodedInstruction d)
    {
        byte count = (byte)Math.Min((int)(byte)d.Immediate, 16);
        cpu.Xmm[d.Reg0] = Vector128.Shuffle(cpu.Xmm[d.Reg0], ByteLaneIndices - Vector128.Create(count));
    }

    /// <summary>PSRLDQ: byte i takes byte i + n, or zero (indices 16 and up select zero).</summary>
    private static void ShiftRightBytes(Cpu cpu, ref DecodedInstruction d)
    {
        byte count = (byte)Math.Min((int)(byte)d.Immediate, 16);
        cpu.Xmm[d.Reg0] = Vector128.Shuffle(cpu.Xmm[d.Reg0], ByteLaneIndices + Vector128.Create(count));
    }
}
