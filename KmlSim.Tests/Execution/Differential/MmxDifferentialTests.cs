using Iced.Intel;
using KmlSim.Tests.Native;
using static Iced.Intel.AssemblerRegisters;
using static KmlSim.Tests.Native.InstructionEncoding;

namespace KmlSim.Tests.Execution.Differential;

/// <summary>
/// Every MMX instruction, and SSE's and SSE2's integer instructions on MMX registers, against the host CPU
/// with random operands. Each case loads MM0-7 from memory, puts the x87 unit in a known state (FNINIT,
/// then two pushes: TOP = 6), runs the instruction, stores the x87 environment (so TOP and the tag word the
/// instruction left are compared, and through the tags that a written MMX register has its exponent bits
/// set), stores MM0-7, runs EMMS and stores the environment again (all tags empty). The environments'
/// instruction and operand pointers are cleared before the comparison: the host's name its own addresses.
/// </summary>
[Category("Differential")]
public class MmxDifferentialTests : DifferentialFixture
{
    private const int Registers = 512;
    private const int Results = 640;
    private const int EnvironmentAfter = 768;
    private const int EnvironmentAfterEmms = 800;

    /// <summary>The codes under test: every code with an MMX register operand that needs only MMX, SSE or SSE2.</summary>
    public static IEnumerable<Code> MmxCodes() => Enum.GetValues<Code>().Where(code =>
        code.ToString().Contains("_mm", StringComparison.Ordinal)
        && !code.ToString().StartsWith("D3NOW", StringComparison.Ordinal)
        && code.CpuidFeatures().All(f => f is CpuidFeature.MMX or CpuidFeature.SSE or CpuidFeature.SSE2 or CpuidFeature.INTEL8086));

    private static readonly byte[] LoadState = Assemble(a =>
    {
        AssemblerRegisterMM[] mm = [mm0, mm1, mm2, mm3, mm4, mm5, mm6, mm7];
        for (int i = 0; i < 8; i++)
        {
            a.movq(mm[i], __qword_ptr[rsi + (Registers + (8 * i))]);
        }

        a.fninit();
        a.fld1();
        a.fldz();
    });

    private static readonly byte[] StoreState = Assemble(a =>
    {
        AssemblerRegisterMM[] mm = [mm0, mm1, mm2, mm3, mm4, mm5, mm6, mm7];
        a.fnstenv(__dword_ptr[rsi + EnvironmentAfter]);
        for (int i = 0; i < 8; i++)
        {
            a.movq(__qword_ptr[rsi + (Results + (8 * i))], mm[i]);
        }

        a.emms();
        a.fnstenv(__dword_ptr[rsi + EnvironmentAfterEmms]);
        foreach (int environment in (int[])[EnvironmentAfter, EnvironmentAfterEmms])
        {
            for (int pointer = 12; pointer < 28; pointer += 4)
            {
                a.mov(__dword_ptr[rsi + (environment + pointer)], 0);
            }
        }
    });

    private static readonly int LoadCount = 11;

    private static readonly int StoreCount = 11 + 8;

    [Test]
    public void MmxInstructionMatchesTheHost([ValueSource(nameof(MmxCodes))] Code code) => Tester.Run(150, 531 + (int)code, ctx =>
    {
        CpuState state = ctx.NewState();
        RandomOperands.PointAtBuffer(ctx, state);
        byte[] instruction = Encode(RandomOperands.Create(code, ctx.Rng));
        return new DifferentialCase { Code = [.. LoadState, .. instruction, .. StoreState], Input = state, InstructionCount = LoadCount + 1 + StoreCount };
    });
}
