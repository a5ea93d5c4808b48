using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Iced.Intel;
using KmlSim.Decoding;

namespace KmlSim.Execution;

/// <summary>
/// SSE2 128-bit integer instructions. Each maps onto the host's own SSE2 instruction through
/// <see cref="Sse2"/> (the host is x86-64, so the results are the architectural ones bit for bit); only
/// the forms whose immediate would have to be a JIT-time constant are written out lane by lane. Registered
/// by <see cref="Code"/> so that the MMX forms of the same mnemonics stay #UD.
/// </summary>
public sealed unsafe partial class Cpu
{
    /// <summary>Byte indices 0..15, the identity for the byte-shift shuffles.</summary>
    private static readonly Vector128<byte> ByteLaneIndices = Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

    internal static void RegisterSseInteger(HandlerTable table)
    {
        // The PS/PD logical forms are the same bit operations.
        table.Add(Code.Pand_xmm_xmmm128, &And128);
        table.Add(Code.Andps_xmm_xmmm128, &And128);
        table.Add(Code.Andpd_xmm_xmmm128, &And128);
        table.Add(Code.Pandn_xmm_xmmm128, &AndNot128);
        table.Add(Code.Andnps_xmm_xmmm128, &AndNot128);
        table.Add(Code.Andnpd_xmm_xmmm128, &AndNot128);
        table.Add(Code.Por_xmm_xmmm128, &Or128);
        table.Add(Code.Orps_xmm_xmmm128, &Or128);
        table.Add(Code.Orpd_xmm_xmmm128, &Or128);
        table.Add(Code.Pxor_xmm_xmmm128, &Xor128);
        table.Add(Code.Xorps_xmm_xmmm128, &Xor128);
        table.Add(Code.Xorpd_xmm_xmmm128, &Xor128);

        table.Add(Code.Pcmpeqb_xmm_xmmm128, &CompareEqualBytes);
        table.Add(Code.Pcmpeqw_xmm_xmmm128, &CompareEqualWords);
        table.Add(Code.Pcmpeqd_xmm_xmmm128, &CompareEqualDwords);
        table.Add(Code.Pcmpgtb_xmm_xmmm128, &CompareGreaterBytes);
        table.Add(Code.Pcmpgtw_xmm_xmmm128, &CompareGreaterWords);
        table.Add(Code.Pcmpgtd_xmm_xmmm128, &CompareGreaterDwords);
        table.Add(Code.Pmovmskb_r32_xmm, &MoveMaskBytes);
        table.Add(Code.Pmovmskb_r64_xmm, &MoveMaskBytes);
        table.Add(Code.Pminub_xmm_xmmm128, &MinUnsignedBytes);
        table.Add(Code.Pmaxub_xmm_xmmm128, &MaxUnsignedBytes);
        table.Add(Code.Pminsw_xmm_xmmm128, &MinSignedWords);
        table.Add(Code.Pmaxsw_xmm_xmmm128, &MaxSignedWords);

        RegisterSseIntegerArithmetic(table);
        RegisterSseIntegerShuffles(table);
        RegisterSseIntegerShifts(table);
    }

    private static void And128(Cpu cpu, ref DecodedInstruction d) => cpu.Xmm[d.Reg0] = Sse2.And(cpu.Xmm[d.Reg0], cpu.XmmSource(ref d));

    /// <summary>PANDN: NOT destination AND source.</summary>
    private static void AndNot128(Cpu cpu, ref DecodedInstruction d) => cpu.Xmm[d.Reg0] = Sse2.AndNot(cpu.Xmm[d.Reg0], cpu.XmmSource(ref d));

    private static void Or128(Cpu cpu, ref DecodedInstruction d) => cpu.Xmm[d.Reg0] = Sse2.Or(cpu.Xmm[d.Reg0], cpu.XmmSource(ref d));

    private static void Xor128(Cpu cpu, ref DecodedInstruction d) => cpu.Xmm[d.Reg0] = Sse2.Xor(cpu.Xmm[d.Reg0], cpu.XmmSource(ref d));

    private static void CompareEqualBytes(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.CompareEqual(cpu.Xmm[d.Reg0], cpu.XmmSource(ref d));

    private static void CompareEqualWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.CompareEqual(cpu.Xmm[d.Reg0].AsUInt16(), cpu.XmmSource(ref d).AsUInt16()).AsByte();

    private static void CompareEqualDwords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.CompareEqual(cpu.Xmm[d.Reg0].AsUInt32(), cpu.XmmSource(ref d).AsUInt32()).AsByte();

    private static void CompareGreaterBytes(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.CompareGreaterThan(cpu.Xmm[d.Reg0].AsSByte(), cpu.XmmSource(ref d).AsSByte()).AsByte();

    private static void CompareGreaterWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.CompareGreaterThan(cpu.Xmm[d.Reg0].AsInt16(), cpu.XmmSource(ref d).AsInt16()).AsByte();

    private static void CompareGreaterDwords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.CompareGreaterThan(cpu.Xmm[d.Reg0].AsInt32(), cpu.XmmSource(ref d).AsInt32()).AsByte();

    /// <summary>PMOVMSKB: the 16 byte sign bits, zero-extended into the full register.</summary>
    private static void MoveMaskBytes(Cpu cpu, ref DecodedInstruction d) => cpu.R[d.Reg0] = (uint)Sse2.MoveMask(cpu.Xmm[d.Reg1]);

    private static void MinUnsignedBytes(Cpu cpu, ref DecodedInstruction d) => cpu.Xmm[d.Reg0] = Sse2.Min(cpu.Xmm[d.Reg0], cpu.XmmSource(ref d));

    private static void MaxUnsignedBytes(Cpu cpu, ref DecodedInstruction d) => cpu.Xmm[d.Reg0] = Sse2.Max(cpu.Xmm[d.Reg0], cpu.XmmSource(ref d));

    private static void MinSignedWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.Min(cpu.Xmm[d.Reg0].AsInt16(), cpu.XmmSource(ref d).AsInt16()).AsByte();

    private static void MaxSignedWords(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = Sse2.Max(cpu.Xmm[d.Reg0].AsInt16(), cpu.XmmSource(ref d).AsInt16()).AsByte();
}
