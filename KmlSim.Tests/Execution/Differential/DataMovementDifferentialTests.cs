using Iced.Intel;
using KmlSim.Tests.Native;
using static KmlSim.Tests.Native.InstructionEncoding;

namespace KmlSim.Tests.Execution.Differential;

/// <summary>
/// MOV, MOVZX/MOVSX/MOVSXD, XCHG, XADD, CMPXCHG, CMOVcc, SETcc, CBW..CQO and LEA against the host CPU.
/// Instructions that define no flags are compared on all six (they must leave them unchanged).
/// </summary>
[Category("Differential")]
public class DataMovementDifferentialTests : DifferentialFixture
{
    private static readonly string[] Conditions = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"];
    private static readonly Code[] AccumulatorExtensions = [Code.Cbw, Code.Cwde, Code.Cdqe, Code.Cwd, Code.Cdq, Code.Cqo];

    /// <summary>MOV r/m,r; r,r/m; r,imm (imm64 for 64-bit); r/m,imm.</summary>
    [Test]
    public void MovMatchesTheHost() => Tester.Run(3000, 501, ctx =>
    {
        CpuState state = ctx.NewState();
        int size = ctx.Size();
        byte[] code = ctx.Rng.Next(4) switch
        {
            0 => Encode(CodeFor("Mov_rm{0}_r{0}", size), ctx.GprOrMemory(state, size), ctx.Gpr(size)),
            1 => Encode(CodeFor("Mov_r{0}_rm{0}", size), ctx.Gpr(size), ctx.GprOrMemory(state, size)),
            2 => Encode(CodeFor("Mov_r{0}_imm{0}", size), ctx.Gpr(size), TestOperand.Imm((long)InputValues.Next(ctx.Rng, size))),
            _ => Encode(
                CodeFor("Mov_rm{0}_imm" + Math.Min(size * 8, 32), size),
                ctx.GprOrMemory(state, size),
                TestOperand.Imm(IntegerAluDifferentialTests.Immediate(ctx.Rng, Math.Min(size, 4)))),
        };
        return new DifferentialCase { Code = code, Input = state };
    });

    /// <summary>MOVZX and MOVSX from 8 and 16 bits, MOVSXD from 32 bits.</summary>
    [Test]
    public void ExtendingMovesMatchTheHost() => Tester.Run(3000, 502, ctx =>
    {
        CpuState state = ctx.NewState();
        string mnemonic = ctx.Rng.Next(2) == 0 ? "Movzx" : "Movsx";
        (int to, int from) = ctx.Rng.Next(6) switch
        {
            0 => (2, 1),
            1 => (4, 1),
            2 => (8, 1),
            3 => (4, 2),
            4 => (8, 2),
            _ => (8, 4),
        };
        if (from == 4)
        {
            mnemonic = "Movsxd";
        }

        if (to == 8)
        {
            ctx.ForbidHighBytes();
        }

        TestOperand destination = ctx.Gpr(to);
        TestOperand source = ctx.GprOrMemory(state, from);
        var code = Enum.Parse<Code>($"{mnemonic}_r{to * 8}_rm{from * 8}");
        return new DifferentialCase { Code = Encode(code, destination, source), Input = state };
    });

    /// <summary>XCHG (r/m,r and the short rAX forms, including 87 C0 which zero-extends unlike NOP), XADD, CMPXCHG.</summary>
    [Test]
    public void ExchangesMatchTheHost() => Tester.Run(4000, 503, ctx =>
    {
        CpuState state = ctx.NewState();
        int size = ctx.Size();
        switch (ctx.Rng.Next(4))
        {
            case 0:
                return new DifferentialCase { Code = Encode(CodeFor("Xchg_rm{0}_r{0}", size), ctx.GprOrMemory(state, size), ctx.Gpr(size)), Input = state };
            case 1 when size > 1:
                string accumulator = size switch { 2 => "AX", 4 => "EAX", _ => "RAX" };
                TestOperand other = ctx.Gpr(size);
                var shortForm = Encode(Enum.Parse<Code>($"Xchg_r{size * 8}_{accumulator}"), other, TestOperand.Gpr(CaseContext.FullRegister(0, size)));
                return new DifferentialCase { Code = shortForm, Input = state };
            case 2:
                return new DifferentialCase { Code = Encode(CodeFor("Xadd_rm{0}_r{0}", size), ctx.GprOrMemory(state, size), ctx.Gpr(size)), Input = state };
            default:
                ctx.Reserve(KmlSim.Isa.Gpr.Rax);
                TestOperand destination = ctx.GprOrMemory(state, size);
                TestOperand source = ctx.Gpr(size);
                if (ctx.Rng.Next(2) == 0)
                {
                    // Make the comparison succeed half the time.
                    TestOperand.Gpr(CaseContext.FullRegister(0, size)).Write(state, destination.Read(state));
                }

                return new DifferentialCase { Code = Encode(CodeFor("Cmpxchg_rm{0}_r{0}", size), destination, source), Input = state };
        }
    });

    /// <summary>CMOVcc (a false condition still zero-extends a 32-bit destination) and SETcc, every condition.</summary>
    [Test]
    public void ConditionalMovesAndSetsMatchTheHost() => Tester.Run(4000, 504, ctx =>
    {
        CpuState state = ctx.NewState();
        string condition = Conditions[ctx.Rng.Next(Conditions.Length)];
        if (ctx.Rng.Next(2) == 0)
        {
            return new DifferentialCase { Code = Encode(CodeFor("Set" + condition + "_rm8", 1), ctx.GprOrMemory(state, 1)), Input = state };
        }

        int size = 2 << ctx.Rng.Next(3);
        TestOperand destination = ctx.Gpr(size);
        TestOperand source = ctx.GprOrMemory(state, size);
        return new DifferentialCase { Code = Encode(CodeFor("Cmov" + condition + "_r{0}_rm{0}", size), destination, source), Input = state };
    });

    /// <summary>CBW, CWDE, CDQE, CWD, CDQ, CQO.</summary>
    [Test]
    public void AccumulatorSignExtensionsMatchTheHost() => Tester.Run(2000, 505, ctx => new DifferentialCase
    {
        Code = Encode(AccumulatorExtensions[ctx.Rng.Next(AccumulatorExtensions.Length)]),
        Input = ctx.NewState(),
    });

    /// <summary>LEA with base, index, scale and displacement, 16/32/64-bit destinations, 64- and 32-bit addressing.</summary>
    [Test]
    public void LeaMatchesTheHost() => Tester.Run(3000, 506, ctx =>
    {
        CpuState state = ctx.NewState();
        int size = 2 << ctx.Rng.Next(3);
        int addressSize = ctx.Rng.Next(4) == 0 ? 4 : 8;
        TestOperand destination = ctx.Gpr(size);
        Register baseRegister = ctx.Rng.Next(5) == 0 ? Register.None : CaseContext.FullRegister(ctx.Gpr(8).Index, addressSize);
        Register index = ctx.Rng.Next(3) == 0 ? Register.None : CaseContext.FullRegister(ctx.Gpr(8).Index, addressSize);
        int scale = 1 << ctx.Rng.Next(4);
        int displacement = (int)IntegerAluDifferentialTests.Immediate(ctx.Rng, ctx.Rng.Next(2) == 0 ? 1 : 4);
        int displacementSize = baseRegister != Register.None && displacement is >= -128 and < 128 ? 1 : addressSize; // Iced's convention
        var memory = new MemoryOperand(baseRegister, index, scale, displacement, displacementSize);
        byte[] code = Encode(Instruction.Create(CodeFor("Lea_r{0}_m", size), destination.Register, memory));
        return new DifferentialCase { Code = code, Input = state };
    });
}
