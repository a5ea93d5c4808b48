using System.Runtime.Intrinsics;
using Iced.Intel;
using KmlSim.Tests.Native;
using static KmlSim.Tests.Native.InstructionEncoding;

namespace KmlSim.Tests.Execution.Differential;

/// <summary>
/// SSE/SSE2 conversions against the host CPU under random MXCSR rounding modes: integer results (with the
/// integer indefinite value for NaN and out-of-range inputs), rounded results, and the MXCSR flags.
/// </summary>
[Category("Differential")]
public class SseConversionDifferentialTests : DifferentialFixture
{
    private static readonly (Code Code, int SourceSize, bool SingleSource)[] FloatToInteger =
    [
        (Code.Cvtsd2si_r32_xmmm64, 8, false), (Code.Cvtsd2si_r64_xmmm64, 8, false),
        (Code.Cvttsd2si_r32_xmmm64, 8, false), (Code.Cvttsd2si_r64_xmmm64, 8, false),
        (Code.Cvtss2si_r32_xmmm32, 4, true), (Code.Cvtss2si_r64_xmmm32, 4, true),
        (Code.Cvttss2si_r32_xmmm32, 4, true), (Code.Cvttss2si_r64_xmmm32, 4, true),
    ];

    private static readonly (Code Code, int SourceSize, int SourceKind)[] VectorConversions =
    [
        (Code.Cvtsd2ss_xmm_xmmm64, 8, Double), (Code.Cvtss2sd_xmm_xmmm32, 4, Single),
        (Code.Cvtdq2pd_xmm_xmmm64, 8, Integer), (Code.Cvtdq2ps_xmm_xmmm128, 16, Integer),
        (Code.Cvtps2dq_xmm_xmmm128, 16, Single), (Code.Cvttps2dq_xmm_xmmm128, 16, Single),
        (Code.Cvtpd2dq_xmm_xmmm128, 16, Double), (Code.Cvttpd2dq_xmm_xmmm128, 16, Double),
        (Code.Cvtps2pd_xmm_xmmm64, 8, Single), (Code.Cvtpd2ps_xmm_xmmm128, 16, Double),
    ];

    private const int Double = 0, Single = 1, Integer = 2;

    /// <summary>CVTSI2SD/CVTSI2SS from 32/64-bit registers and memory (64-bit sources round per MXCSR.RC).</summary>
    [Test]
    public void IntegerToFloatMatchesTheHost() => Tester.Run(3000, 401, ctx =>
    {
        CpuState state = SseCases.FloatState(ctx, ctx.Rng.Next(2) == 0);
        int size = ctx.Rng.Next(2) == 0 ? 4 : 8;
        TestOperand source = ctx.GprOrMemory(state, size);
        string target = ctx.Rng.Next(2) == 0 ? "sd" : "ss";
        Code code = Enum.Parse<Code>($"Cvtsi2{target}_xmm_rm{size * 8}");
        return new DifferentialCase { Code = Encode(code, SseCases.Xmm(ctx.Rng), source), Input = state, DefinedFlags = 0 };
    });

    /// <summary>CVT(T)SD2SI and CVT(T)SS2SI into 32- and 64-bit registers.</summary>
    [Test]
    public void FloatToIntegerMatchesTheHost() => Tester.Run(4000, 402, ctx =>
    {
        var (code, sourceSize, singleSource) = FloatToInteger[ctx.Rng.Next(FloatToInteger.Length)];
        CpuState state = SseCases.FloatState(ctx, singleSource);
        TestOperand source = SseCases.XmmOrMemory(ctx, state, sourceSize);
        SseCases.Set(state, source, singleSource ? SseCases.Singles(ctx.Rng) : SseCases.Doubles(ctx.Rng));
        int destinationSize = code.ToString().Contains("_r64_", StringComparison.Ordinal) ? 8 : 4;
        TestOperand destination = ctx.Gpr(destinationSize, source);
        return new DifferentialCase { Code = Encode(code, destination, source), Input = state, DefinedFlags = 0 };
    });

    /// <summary>Scalar and packed conversions between doubles, singles and dwords.</summary>
    [Test]
    public void VectorConversionsMatchTheHost() => Tester.Run(4000, 403, ctx =>
    {
        var (code, sourceSize, kind) = VectorConversions[ctx.Rng.Next(VectorConversions.Length)];
        CpuState state = SseCases.FloatState(ctx, kind == Single);
        TestOperand source = SseCases.XmmOrMemory(ctx, state, sourceSize);
        Vector128<byte> value = kind switch
        {
            Double => SseCases.Doubles(ctx.Rng),
            Single => SseCases.Singles(ctx.Rng),
            _ => Vector128.Create((uint)InputValues.Next(ctx.Rng, 4), (uint)InputValues.Next(ctx.Rng, 4), (uint)InputValues.Next(ctx.Rng, 4), (uint)InputValues.Next(ctx.Rng, 4)).AsByte(),
        };
        SseCases.Set(state, source, value);
        return new DifferentialCase { Code = Encode(code, SseCases.Xmm(ctx.Rng), source), Input = state, DefinedFlags = 0 };
    });
}
