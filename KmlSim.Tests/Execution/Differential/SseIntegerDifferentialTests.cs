using System.Runtime.Intrinsics;
using Iced.Intel;
using KmlSim.Tests.Native;
using static KmlSim.Tests.Native.InstructionEncoding;

namespace KmlSim.Tests.Execution.Differential;

/// <summary>SSE2 128-bit integer instructions against the host CPU, register and aligned memory sources.</summary>
[Category("Differential")]
public class SseIntegerDifferentialTests : DifferentialFixture
{
    private static readonly Code[] TwoOperand =
    [
        Code.Pand_xmm_xmmm128, Code.Pandn_xmm_xmmm128, Code.Por_xmm_xmmm128, Code.Pxor_xmm_xmmm128,
        Code.Andps_xmm_xmmm128, Code.Andnpd_xmm_xmmm128, Code.Orps_xmm_xmmm128, Code.Xorpd_xmm_xmmm128,
        Code.Pcmpeqb_xmm_xmmm128, Code.Pcmpeqw_xmm_xmmm128, Code.Pcmpeqd_xmm_xmmm128,
        Code.Pcmpgtb_xmm_xmmm128, Code.Pcmpgtw_xmm_xmmm128, Code.Pcmpgtd_xmm_xmmm128,
        Code.Pminub_xmm_xmmm128, Code.Pmaxub_xmm_xmmm128, Code.Pminsw_xmm_xmmm128, Code.Pmaxsw_xmm_xmmm128,
        Code.Paddb_xmm_xmmm128, Code.Paddw_xmm_xmmm128, Code.Paddd_xmm_xmmm128, Code.Paddq_xmm_xmmm128,
        Code.Psubb_xmm_xmmm128, Code.Psubw_xmm_xmmm128, Code.Psubd_xmm_xmmm128, Code.Psubq_xmm_xmmm128,
        Code.Paddusb_xmm_xmmm128, Code.Paddusw_xmm_xmmm128, Code.Paddsb_xmm_xmmm128, Code.Paddsw_xmm_xmmm128,
        Code.Psubusb_xmm_xmmm128, Code.Psubusw_xmm_xmmm128, Code.Psubsb_xmm_xmmm128, Code.Psubsw_xmm_xmmm128,
        Code.Pavgb_xmm_xmmm128, Code.Pavgw_xmm_xmmm128, Code.Psadbw_xmm_xmmm128,
        Code.Pmullw_xmm_xmmm128, Code.Pmulhw_xmm_xmmm128, Code.Pmulhuw_xmm_xmmm128, Code.Pmuludq_xmm_xmmm128, Code.Pmaddwd_xmm_xmmm128,
        Code.Punpcklbw_xmm_xmmm128, Code.Punpcklwd_xmm_xmmm128, Code.Punpckldq_xmm_xmmm128, Code.Punpcklqdq_xmm_xmmm128,
        Code.Punpckhbw_xmm_xmmm128, Code.Punpckhwd_xmm_xmmm128, Code.Punpckhdq_xmm_xmmm128, Code.Punpckhqdq_xmm_xmmm128,
        Code.Packsswb_xmm_xmmm128, Code.Packssdw_xmm_xmmm128, Code.Packuswb_xmm_xmmm128,
        Code.Psllw_xmm_xmmm128, Code.Pslld_xmm_xmmm128, Code.Psllq_xmm_xmmm128,
        Code.Psrlw_xmm_xmmm128, Code.Psrld_xmm_xmmm128, Code.Psrlq_xmm_xmmm128,
        Code.Psraw_xmm_xmmm128, Code.Psrad_xmm_xmmm128,
    ];

    private static readonly Code[] ShiftImmediate =
    [
        Code.Psllw_xmm_imm8, Code.Pslld_xmm_imm8, Code.Psllq_xmm_imm8, Code.Psrlw_xmm_imm8, Code.Psrld_xmm_imm8,
        Code.Psrlq_xmm_imm8, Code.Psraw_xmm_imm8, Code.Psrad_xmm_imm8, Code.Pslldq_xmm_imm8, Code.Psrldq_xmm_imm8,
    ];

    private static readonly Code[] ShuffleImmediate = [Code.Pshufd_xmm_xmmm128_imm8, Code.Pshuflw_xmm_xmmm128_imm8, Code.Pshufhw_xmm_xmmm128_imm8];

    /// <summary>Logic, compares, min/max, add/sub (wrapping and saturating), averages, multiplies, unpacks, packs, shifts by xmm.</summary>
    [Test]
    public void TwoOperandFormsMatchTheHost() => Tester.Run(6000, 501, ctx =>
    {
        CpuState state = ctx.NewState();
        Code code = TwoOperand[ctx.Rng.Next(TwoOperand.Length)];
        PlantLaneEdges(ctx.Rng, state);
        TestOperand source = SseCases.XmmOrMemory(ctx, state, 16);
        Vector128<byte> value = code.ToString().StartsWith("Ps", StringComparison.Ordinal) && ctx.Rng.Next(2) == 0
            ? Vector128.Create((ulong)ctx.Rng.Next(70), InputValues.Uniform(ctx.Rng)).AsByte() // small shift counts too
            : Edges(ctx.Rng);
        SseCases.Set(state, source, value);
        return new DifferentialCase { Code = Encode(code, SseCases.Xmm(ctx.Rng), source), Input = state, DefinedFlags = 0 };
    });

    /// <summary>Immediate shifts (counts 0-255) and PSHUFD/PSHUFLW/PSHUFHW.</summary>
    [Test]
    public void ImmediateFormsMatchTheHost() => Tester.Run(3000, 502, ctx =>
    {
        CpuState state = ctx.NewState();
        PlantLaneEdges(ctx.Rng, state);
        int immediate = ctx.Rng.Next(3) == 0 ? ctx.Rng.Next(256) : ctx.Rng.Next(70);
        if (ctx.Rng.Next(2) == 0)
        {
            Code shift = ShiftImmediate[ctx.Rng.Next(ShiftImmediate.Length)];
            return new DifferentialCase { Code = Encode(shift, SseCases.Xmm(ctx.Rng), TestOperand.Imm(immediate)), Input = state, DefinedFlags = 0 };
        }

        TestOperand source = SseCases.XmmOrMemory(ctx, state, 16);
        SseCases.Set(state, source, Edges(ctx.Rng));
        Code shuffle = ShuffleImmediate[ctx.Rng.Next(ShuffleImmediate.Length)];
        return new DifferentialCase { Code = Encode(shuffle, SseCases.Xmm(ctx.Rng), source, TestOperand.Imm(ctx.Rng.Next(256))), Input = state, DefinedFlags = 0 };
    });

    /// <summary>PMOVMSKB, PEXTRW and PINSRW (register and memory word sources).</summary>
    [Test]
    public void GprTransfersMatchTheHost() => Tester.Run(2000, 503, ctx =>
    {
        CpuState state = ctx.NewState();
        PlantLaneEdges(ctx.Rng, state);
        int wide = ctx.Rng.Next(2) == 0 ? 32 : 64;
        switch (ctx.Rng.Next(3))
        {
            case 0:
                return new DifferentialCase { Code = Encode(Enum.Parse<Code>($"Pmovmskb_r{wide}_xmm"), ctx.Gpr(wide / 8), SseCases.Xmm(ctx.Rng)), Input = state, DefinedFlags = 0 };
            case 1:
                return new DifferentialCase
                {
                    Code = Encode(Enum.Parse<Code>($"Pextrw_r{wide}_xmm_imm8"), ctx.Gpr(wide / 8), SseCases.Xmm(ctx.Rng), TestOperand.Imm(ctx.Rng.Next(256))),
                    Input = state,
                    DefinedFlags = 0,
                };
            default:
                TestOperand source = ctx.Rng.Next(2) == 0 ? ctx.Memory(state, 2) : ctx.Gpr(wide / 8);
                return new DifferentialCase
                {
                    Code = Encode(Enum.Parse<Code>($"Pinsrw_xmm_r{wide}m16_imm8"), SseCases.Xmm(ctx.Rng), source, TestOperand.Imm(ctx.Rng.Next(256))),
                    Input = state,
                    DefinedFlags = 0,
                };
        }
    });

    /// <summary>Edge values in every lane width: 0, 1, -1, the sign bits and their neighbours.</summary>
    private static Vector128<byte> Edges(Random rng) => rng.Next(4) switch
    {
        0 => Vector128.Create((byte)InputValues.Next(rng, 1), (byte)InputValues.Next(rng, 1), (byte)InputValues.Next(rng, 1), (byte)InputValues.Next(rng, 1),
            (byte)InputValues.Next(rng, 1), (byte)InputValues.Next(rng, 1), (byte)InputValues.Next(rng, 1), (byte)InputValues.Next(rng, 1),
            (byte)InputValues.Next(rng, 1), (byte)InputValues.Next(rng, 1), (byte)InputValues.Next(rng, 1), (byte)InputValues.Next(rng, 1),
            (byte)InputValues.Next(rng, 1), (byte)InputValues.Next(rng, 1), (byte)InputValues.Next(rng, 1), (byte)InputValues.Next(rng, 1)),
        1 => Vector128.Create((ushort)InputValues.Next(rng, 2), (ushort)InputValues.Next(rng, 2), (ushort)InputValues.Next(rng, 2), (ushort)InputValues.Next(rng, 2),
            (ushort)InputValues.Next(rng, 2), (ushort)InputValues.Next(rng, 2), (ushort)InputValues.Next(rng, 2), (ushort)InputValues.Next(rng, 2)).AsByte(),
        2 => Vector128.Create((uint)InputValues.Next(rng, 4), (uint)InputValues.Next(rng, 4), (uint)InputValues.Next(rng, 4), (uint)InputValues.Next(rng, 4)).AsByte(),
        _ => Vector128.Create(InputValues.Next(rng, 8), InputValues.Next(rng, 8)).AsByte(),
    };

    private static void PlantLaneEdges(Random rng, CpuState state)
    {
        for (int i = 0; i < 16; i++)
        {
            if (rng.Next(2) == 0)
            {
                state.Xmm[i] = Edges(rng);
            }
        }
    }
}
