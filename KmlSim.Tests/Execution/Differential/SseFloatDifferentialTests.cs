using KmlSim.Isa;
using KmlSim.Tests.Native;
using static KmlSim.Tests.Native.InstructionEncoding;

namespace KmlSim.Tests.Execution.Differential;

/// <summary>
/// SSE/SSE2 floating point against the host CPU: results bit for bit (NaN payloads included), MXCSR
/// (rounding modes, DAZ, FZ, and the accumulated IE/DE/ZE/OE/UE/PE flags) and, for COMIS/UCOMIS, RFLAGS.
/// </summary>
[Category("Differential")]
public class SseFloatDifferentialTests : DifferentialFixture
{
    private static readonly string[] Arithmetic = ["Add", "Sub", "Mul", "Div", "Min", "Max", "Sqrt"];

    /// <summary>ADD/SUB/MUL/DIV/MIN/MAX/SQRT in SS, SD, PS and PD forms, register or memory source.</summary>
    [Test]
    public void ArithmeticMatchesTheHost() => Tester.Run(6000, 301, ctx =>
    {
        string form = ctx.Rng.Next(4) switch { 0 => "ss", 1 => "sd", 2 => "ps", _ => "pd" };
        int memorySize = form == "ss" ? 4 : form == "sd" ? 8 : 16;
        (CpuState state, TestOperand destination, TestOperand source) = FloatOperands(ctx, form[1] == 's', memorySize);
        string name = $"{Arithmetic[ctx.Rng.Next(Arithmetic.Length)]}{form}_xmm_xmmm{memorySize * 8}";
        return new DifferentialCase { Code = Encode(Enum.Parse<Iced.Intel.Code>(char.ToUpperInvariant(name[0]) + name[1..]), destination, source), Input = state, DefinedFlags = 0 };
    });

    /// <summary>CMPSS/CMPSD/CMPPS/CMPPD with every predicate (and ignored upper immediate bits).</summary>
    [Test]
    public void ComparePredicatesMatchTheHost() => Tester.Run(3000, 302, ctx =>
    {
        string form = ctx.Rng.Next(4) switch { 0 => "ss", 1 => "sd", 2 => "ps", _ => "pd" };
        int memorySize = form == "ss" ? 4 : form == "sd" ? 8 : 16;
        (CpuState state, TestOperand destination, TestOperand source) = FloatOperands(ctx, form[1] == 's', memorySize);
        int predicate = ctx.Rng.Next(8);
        var code = Enum.Parse<Iced.Intel.Code>($"Cmp{form}_xmm_xmmm{memorySize * 8}_imm8");
        return new DifferentialCase { Code = Encode(code, destination, source, TestOperand.Imm(predicate)), Input = state, DefinedFlags = 0 };
    });

    /// <summary>COMISS/COMISD/UCOMISS/UCOMISD: ZF, PF, CF set, OF, SF, AF cleared; IE on NaNs as defined.</summary>
    [Test]
    public void OrderedComparesMatchTheHost() => Tester.Run(3000, 303, ctx =>
    {
        bool singles = ctx.Rng.Next(2) == 0;
        (CpuState state, TestOperand destination, TestOperand source) = FloatOperands(ctx, singles, singles ? 4 : 8);
        string name = (ctx.Rng.Next(2) == 0 ? "Comis" : "Ucomis") + (singles ? "s_xmm_xmmm32" : "d_xmm_xmmm64");
        return new DifferentialCase { Code = Encode(Enum.Parse<Iced.Intel.Code>(name), destination, source), Input = state, DefinedFlags = RFlags.Status };
    });

    /// <summary>
    /// A random float state, a random destination XMM register, and a register or memory source of
    /// <paramref name="memorySize"/> bytes holding random singles or doubles.
    /// </summary>
    private static (CpuState State, TestOperand Destination, TestOperand Source) FloatOperands(CaseContext ctx, bool singles, int memorySize)
    {
        CpuState state = SseCases.FloatState(ctx, singles);
        TestOperand destination = SseCases.Xmm(ctx.Rng);
        TestOperand source = SseCases.XmmOrMemory(ctx, state, memorySize);
        SseCases.Set(state, source, singles ? SseCases.Singles(ctx.Rng) : SseCases.Doubles(ctx.Rng));
        return (state, destination, source);
    }
}
