using Iced.Intel;
using KmlSim.Tests.Native;
using static KmlSim.Tests.Native.InstructionEncoding;

namespace KmlSim.Tests.Execution.Differential;

/// <summary>SSE/SSE2 moves, shuffles, unpacks, sign masks and MXCSR load/store against the host CPU.</summary>
[Category("Differential")]
public class SseMoveDifferentialTests : DifferentialFixture
{
    /// <summary>Forms "xmm, xmm/m" whose memory operand must be 16-byte aligned, with its memory size.</summary>
    private static readonly (Code Code, int MemorySize)[] LoadForms =
    [
        (Code.Movaps_xmm_xmmm128, 16), (Code.Movapd_xmm_xmmm128, 16), (Code.Movdqa_xmm_xmmm128, 16),
        (Code.Movups_xmm_xmmm128, 16), (Code.Movupd_xmm_xmmm128, 16), (Code.Movdqu_xmm_xmmm128, 16),
        (Code.Movq_xmm_xmmm64, 8), (Code.Movsd_xmm_xmmm64, 8), (Code.Movss_xmm_xmmm32, 4),
        (Code.Unpcklps_xmm_xmmm128, 16), (Code.Unpckhps_xmm_xmmm128, 16), (Code.Unpcklpd_xmm_xmmm128, 16), (Code.Unpckhpd_xmm_xmmm128, 16),
        (Code.Movd_xmm_rm32, 4), (Code.Movq_xmm_rm64, 8),
    ];

    /// <summary>Forms "xmm/m, xmm" (stores, or register-to-register in the other direction).</summary>
    private static readonly (Code Code, int MemorySize)[] StoreForms =
    [
        (Code.Movaps_xmmm128_xmm, 16), (Code.Movapd_xmmm128_xmm, 16), (Code.Movdqa_xmmm128_xmm, 16),
        (Code.Movups_xmmm128_xmm, 16), (Code.Movupd_xmmm128_xmm, 16), (Code.Movdqu_xmmm128_xmm, 16),
        (Code.Movq_xmmm64_xmm, 8), (Code.Movsd_xmmm64_xmm, 8), (Code.Movss_xmmm32_xmm, 4),
        (Code.Movd_rm32_xmm, 4), (Code.Movq_rm64_xmm, 8),
    ];

    private static readonly Code[] HalfLoads = [Code.Movlps_xmm_m64, Code.Movlpd_xmm_m64, Code.Movhps_xmm_m64, Code.Movhpd_xmm_m64];
    private static readonly Code[] HalfStores = [Code.Movlps_m64_xmm, Code.Movlpd_m64_xmm, Code.Movhps_m64_xmm, Code.Movhpd_m64_xmm];
    private static readonly Code[] NonTemporal = [Code.Movntdq_m128_xmm, Code.Movntps_m128_xmm, Code.Movntpd_m128_xmm];

    /// <summary>Register and memory loads, zero-extending versus merging, GPR sources.</summary>
    [Test]
    public void LoadsMatchTheHost() => Tester.Run(3000, 601, ctx =>
    {
        CpuState state = ctx.NewState();
        var (code, size) = LoadForms[ctx.Rng.Next(LoadForms.Length)];
        TestOperand source = code is Code.Movd_xmm_rm32 or Code.Movq_xmm_rm64
            ? ctx.GprOrMemory(state, size)
            : UnalignedAllowed(code) && ctx.Rng.Next(2) == 0 ? ctx.Memory(state, size) : SseCases.XmmOrMemory(ctx, state, size);
        return new DifferentialCase { Code = Encode(code, SseCases.Xmm(ctx.Rng), source), Input = state, DefinedFlags = 0 };
    });

    /// <summary>Stores to memory (aligned and not), register-to-register store forms, GPR destinations, non-temporal stores.</summary>
    [Test]
    public void StoresMatchTheHost() => Tester.Run(3000, 602, ctx =>
    {
        CpuState state = ctx.NewState();
        if (ctx.Rng.Next(5) == 0)
        {
            Code nonTemporal = NonTemporal[ctx.Rng.Next(NonTemporal.Length)];
            return new DifferentialCase { Code = Encode(nonTemporal, SseCases.AlignedMemory(ctx, state, 16), SseCases.Xmm(ctx.Rng)), Input = state, DefinedFlags = 0 };
        }

        var (code, size) = StoreForms[ctx.Rng.Next(StoreForms.Length)];
        TestOperand destination = code is Code.Movd_rm32_xmm or Code.Movq_rm64_xmm
            ? (ctx.Rng.Next(2) == 0 ? ctx.Memory(state, size) : ctx.Gpr(size))
            : UnalignedAllowed(code) && ctx.Rng.Next(2) == 0 ? ctx.Memory(state, size) : SseCases.XmmOrMemory(ctx, state, size);
        return new DifferentialCase { Code = Encode(code, destination, SseCases.Xmm(ctx.Rng)), Input = state, DefinedFlags = 0 };
    });

    /// <summary>MOVLPS/MOVHPS/MOVLPD/MOVHPD loads and stores, MOVHLPS/MOVLHPS, MOVNTI.</summary>
    [Test]
    public void HalfMovesMatchTheHost() => Tester.Run(2000, 603, ctx =>
    {
        CpuState state = ctx.NewState();
        switch (ctx.Rng.Next(4))
        {
            case 0:
                return new DifferentialCase { Code = Encode(HalfLoads[ctx.Rng.Next(4)], SseCases.Xmm(ctx.Rng), ctx.Memory(state, 8)), Input = state, DefinedFlags = 0 };
            case 1:
                return new DifferentialCase { Code = Encode(HalfStores[ctx.Rng.Next(4)], ctx.Memory(state, 8), SseCases.Xmm(ctx.Rng)), Input = state, DefinedFlags = 0 };
            case 2:
                Code both = ctx.Rng.Next(2) == 0 ? Code.Movhlps_xmm_xmm : Code.Movlhps_xmm_xmm;
                return new DifferentialCase { Code = Encode(both, SseCases.Xmm(ctx.Rng), SseCases.Xmm(ctx.Rng)), Input = state, DefinedFlags = 0 };
            default:
                int size = ctx.Rng.Next(2) == 0 ? 4 : 8;
                TestOperand memory = ctx.Memory(state, size);
                Code movnti = size == 4 ? Code.Movnti_m32_r32 : Code.Movnti_m64_r64;
                return new DifferentialCase { Code = Encode(movnti, memory, ctx.Gpr(size, memory)), Input = state, DefinedFlags = 0 };
        }
    });

    /// <summary>SHUFPS/SHUFPD with every immediate, MOVMSKPS/MOVMSKPD, LDMXCSR/STMXCSR.</summary>
    [Test]
    public void ShufflesMasksAndMxcsrMatchTheHost() => Tester.Run(2000, 604, ctx =>
    {
        CpuState state = ctx.NewState();
        int wide = ctx.Rng.Next(2) == 0 ? 32 : 64;
        switch (ctx.Rng.Next(4))
        {
            case 0:
                Code shuffle = ctx.Rng.Next(2) == 0 ? Code.Shufps_xmm_xmmm128_imm8 : Code.Shufpd_xmm_xmmm128_imm8;
                return new DifferentialCase
                {
                    Code = Encode(shuffle, SseCases.Xmm(ctx.Rng), SseCases.XmmOrMemory(ctx, state, 16), TestOperand.Imm(ctx.Rng.Next(256))),
                    Input = state,
                    DefinedFlags = 0,
                };
            case 1:
                Code mask = Enum.Parse<Code>((ctx.Rng.Next(2) == 0 ? "Movmskps" : "Movmskpd") + $"_r{wide}_xmm");
                return new DifferentialCase { Code = Encode(mask, ctx.Gpr(wide / 8), SseCases.Xmm(ctx.Rng)), Input = state, DefinedFlags = 0 };
            case 2:
                TestOperand source = ctx.Memory(state, 4);
                source.Write(state, SseCases.Mxcsr(ctx.Rng));
                return new DifferentialCase { Code = Encode(Code.Ldmxcsr_m32, source), Input = state, DefinedFlags = 0 };
            default:
                state.Mxcsr = SseCases.Mxcsr(ctx.Rng);
                return new DifferentialCase { Code = Encode(Code.Stmxcsr_m32, ctx.Memory(state, 4)), Input = state, DefinedFlags = 0 };
        }
    });

    private static bool UnalignedAllowed(Code code) => code is Code.Movups_xmm_xmmm128 or Code.Movupd_xmm_xmmm128 or Code.Movdqu_xmm_xmmm128
        or Code.Movups_xmmm128_xmm or Code.Movupd_xmmm128_xmm or Code.Movdqu_xmmm128_xmm
        or Code.Movq_xmm_xmmm64 or Code.Movsd_xmm_xmmm64 or Code.Movss_xmm_xmmm32 or Code.Movq_xmmm64_xmm or Code.Movsd_xmmm64_xmm or Code.Movss_xmmm32_xmm;
}
