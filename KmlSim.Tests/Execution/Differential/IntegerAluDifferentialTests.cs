using Iced.Intel;
using KmlSim.Isa;
using KmlSim.Tests.Native;
using static KmlSim.Tests.Native.InstructionEncoding;

namespace KmlSim.Tests.Execution.Differential;

/// <summary>ADD/ADC/SUB/SBB/AND/OR/XOR/CMP/TEST/INC/DEC/NEG/NOT against the host CPU, every size and form.</summary>
[Category("Differential")]
public class IntegerAluDifferentialTests : DifferentialFixture
{
    private static readonly string[] Arithmetic = ["Add", "Adc", "Sub", "Sbb", "Cmp"];
    private static readonly string[] Logic = ["And", "Or", "Xor"];
    private static readonly string[] Unary = ["Inc", "Dec", "Neg", "Not"];
    private static readonly string[] Conditions = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"];

    /// <summary>ADD, ADC, SUB, SBB, CMP: all six status flags are defined.</summary>
    [Test]
    public void ArithmeticMatchesTheHost() => Tester.Run(5000, 401, ctx => Binary(ctx, Arithmetic[ctx.Rng.Next(Arithmetic.Length)]));

    /// <summary>AND, OR, XOR, TEST: AF is undefined.</summary>
    [Test]
    public void LogicMatchesTheHost() => Tester.Run(4000, 402, ctx =>
        Binary(ctx, ctx.Rng.Next(4) == 0 ? "Test" : Logic[ctx.Rng.Next(Logic.Length)]));

    /// <summary>INC, DEC (CF kept), NEG, NOT (no flags).</summary>
    [Test]
    public void UnaryOperationsMatchTheHost() => Tester.Run(3000, 403, ctx =>
    {
        CpuState state = ctx.NewState();
        int size = ctx.Size();
        TestOperand operand = ctx.GprOrMemory(state, size);
        byte[] code = Encode(CodeFor(Unary[ctx.Rng.Next(Unary.Length)] + "_rm{0}", size), operand);
        return new DifferentialCase { Code = code, Input = state };
    });

    /// <summary>
    /// An ALU instruction followed by SETcc or CMOVcc: the simulator answers conditions from lazily recorded
    /// flags, which single-instruction cases never exercise.
    /// </summary>
    [Test]
    public void ConditionsAfterAluInstructionsMatchTheHost() => Tester.Run(4000, 404, ctx =>
    {
        DifferentialCase first = ctx.Rng.Next(4) == 0
            ? UnaryCase(ctx)
            : Binary(ctx, ctx.Rng.Next(2) == 0 ? Arithmetic[ctx.Rng.Next(Arithmetic.Length)] : Logic[ctx.Rng.Next(Logic.Length)]);
        string condition = Conditions[ctx.Rng.Next(Conditions.Length)];
        int size = 2 << ctx.Rng.Next(3);
        TestOperand destination = ctx.Gpr(ctx.Rng.Next(2) == 0 ? 1 : size);
        byte[] use = destination.Size == 1
            ? Encode(CodeFor("Set" + condition + "_rm8", 1), destination)
            : Encode(CodeFor("Cmov" + condition + "_r{0}_rm{0}", size), destination, ctx.Gpr(size));
        return new DifferentialCase
        {
            Code = [.. first.Code, .. use],
            Input = first.Input,
            DefinedFlags = first.DefinedFlags,
            InstructionCount = 2,
        };
    });

    private static DifferentialCase UnaryCase(CaseContext ctx)
    {
        CpuState state = ctx.NewState();
        int size = ctx.Size();
        TestOperand operand = ctx.Gpr(size);
        operand.Write(state, InputValues.Next(ctx.Rng, size));
        return new DifferentialCase { Code = Encode(CodeFor(Unary[ctx.Rng.Next(Unary.Length)] + "_rm{0}", size), operand), Input = state };
    }

    /// <summary>A two-operand ALU instruction in one of its forms: r/m,r; r,r/m; r/m,imm; r/m,imm8 (sign-extended); rAX,imm.</summary>
    internal static DifferentialCase Binary(CaseContext ctx, string mnemonic)
    {
        CpuState state = ctx.NewState();
        int size = ctx.Size();
        int immediateBits = Math.Min(size * 8, 32);
        bool test = mnemonic == "Test";
        int form = ctx.Rng.Next(5);
        if (test && form is 1 or 3)
        {
            form = 0; // TEST has neither r,r/m nor the sign-extended imm8 form
        }

        if (form == 3 && size == 1)
        {
            form = 2;
        }

        byte[] code;
        switch (form)
        {
            case 0:
            {
                TestOperand source = ctx.Gpr(size);
                source.Write(state, InputValues.Next(ctx.Rng, size));
                TestOperand destination = ctx.GprOrMemory(state, size);
                code = Encode(CodeFor(mnemonic + "_rm{0}_r{0}", size), destination, source);
                break;
            }

            case 1:
            {
                TestOperand destination = ctx.Gpr(size);
                destination.Write(state, InputValues.Next(ctx.Rng, size));
                TestOperand source = ctx.GprOrMemory(state, size);
                code = Encode(CodeFor(mnemonic + "_r{0}_rm{0}", size), destination, source);
                break;
            }

            case 2:
                code = Encode(
                    CodeFor(mnemonic + "_rm{0}_imm" + immediateBits, size),
                    ctx.GprOrMemory(state, size),
                    TestOperand.Imm(Immediate(ctx.Rng, immediateBits / 8)));
                break;
            case 3:
                code = Encode(CodeFor(mnemonic + "_rm{0}_imm8", size), ctx.GprOrMemory(state, size), TestOperand.Imm(Immediate(ctx.Rng, 1)));
                break;
            default:
            {
                var accumulator = TestOperand.Gpr(CaseContext.FullRegister(0, size));
                accumulator.Write(state, InputValues.Next(ctx.Rng, size));
                string name = size switch { 1 => "_AL_imm8", 2 => "_AX_imm16", 4 => "_EAX_imm32", _ => "_RAX_imm32" };
                code = Encode(Enum.Parse<Code>(mnemonic + name), accumulator, TestOperand.Imm(Immediate(ctx.Rng, immediateBits / 8)));
                break;
            }
        }

        ulong defined = Array.IndexOf(Arithmetic, mnemonic) >= 0 ? RFlags.Status : RFlags.Status & ~RFlags.AF;
        return new DifferentialCase { Code = code, Input = state, DefinedFlags = defined };
    }

    /// <summary>An edge-biased immediate of <paramref name="bytes"/> bytes, sign-extended as the encoding will.</summary>
    internal static long Immediate(Random rng, int bytes)
    {
        ulong value = InputValues.Next(rng, bytes);
        return bytes switch { 1 => (sbyte)value, 2 => (short)value, _ => (int)value };
    }
}
