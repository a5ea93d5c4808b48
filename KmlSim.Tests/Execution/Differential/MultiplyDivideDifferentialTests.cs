using System.Numerics;
using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Tests.Native;
using static KmlSim.Tests.Native.InstructionEncoding;

namespace KmlSim.Tests.Execution.Differential;

/// <summary>MUL, IMUL (1/2/3 operands), DIV, IDIV against the host CPU; #DE in the simulator alone.</summary>
[Category("Differential")]
public class MultiplyDivideDifferentialTests : DifferentialFixture
{
    /// <summary>One-operand MUL and IMUL into AX / rDX:rAX, all sizes.</summary>
    [Test]
    public void OneOperandMultipliesMatchTheHost() => Tester.Run(3000, 201, ctx =>
    {
        CpuState state = ctx.NewState();
        int size = ctx.Size();
        ctx.Reserve(Gpr.Rax, Gpr.Rdx);
        TestOperand source = ctx.GprOrMemory(state, size);
        string mnemonic = ctx.Rng.Next(2) == 0 ? "Mul" : "Imul";
        byte[] code = Encode(CodeFor(mnemonic + "_rm{0}", size), source);
        return new DifferentialCase { Code = code, Input = state, DefinedFlags = RFlags.CF | RFlags.OF };
    });

    /// <summary>IMUL reg, r/m and IMUL reg, r/m, imm8/imm16/imm32.</summary>
    [Test]
    public void TwoAndThreeOperandImulMatchesTheHost() => Tester.Run(3000, 202, ctx =>
    {
        CpuState state = ctx.NewState();
        int size = 2 << ctx.Rng.Next(3);
        TestOperand destination = ctx.Gpr(size);
        destination.Write(state, InputValues.Next(ctx.Rng, size));
        TestOperand source = ctx.GprOrMemory(state, size);
        byte[] code;
        switch (ctx.Rng.Next(3))
        {
            case 0:
                code = Encode(CodeFor("Imul_r{0}_rm{0}", size), destination, source);
                break;
            case 1:
                code = Encode(CodeFor("Imul_r{0}_rm{0}_imm8", size), destination, source, TestOperand.Imm((sbyte)InputValues.Next(ctx.Rng, 1)));
                break;
            default:
                int immediateSize = Math.Min(size, 4);
                long immediate = immediateSize == 2 ? (short)InputValues.Next(ctx.Rng, 2) : (int)InputValues.Next(ctx.Rng, 4);
                code = Encode(CodeFor("Imul_r{0}_rm{0}_imm" + (immediateSize * 8), size), destination, source, TestOperand.Imm(immediate));
                break;
        }

        return new DifferentialCase { Code = code, Input = state, DefinedFlags = RFlags.CF | RFlags.OF };
    });

    /// <summary>DIV and IDIV, all sizes, inputs chosen so that no #DE occurs (every flag is undefined).</summary>
    [Test]
    public void DividesMatchTheHost() => Tester.Run(4000, 203, first =>
    {
        for (CaseContext ctx = first; ; ctx = ctx.Fresh())
        {
            CpuState state = ctx.NewState();
            int size = ctx.Size();
            bool signed = ctx.Rng.Next(2) == 0;
            ctx.Reserve(Gpr.Rax, Gpr.Rdx);
            TestOperand divisor = ctx.GprOrMemory(state, size);
            if (ctx.Rng.Next(2) == 0)
            {
                MakeDividendSmall(state, size, divisor, signed);
            }

            if (!RaisesDivideError(state, size, divisor, signed))
            {
                byte[] code = Encode(CodeFor((signed ? "Idiv" : "Div") + "_rm{0}", size), divisor);
                return new DifferentialCase { Code = code, Input = state, DefinedFlags = 0 };
            }
        }
    });

    /// <summary>Divide by zero and quotient overflow raise #DE and change nothing (AMD64 APM vol. 3, DIV/IDIV).</summary>
    [TestCase("Div", 1, 0x0100UL, 0UL, 1UL)] // AX = 0x100 / 1: quotient 0x100 does not fit AL
    [TestCase("Div", 2, 0x0000UL, 0x0001UL, 1UL)] // DX:AX = 0x10000 / 1
    [TestCase("Div", 4, 5UL, 0UL, 0UL)]
    [TestCase("Div", 8, 5UL, 7UL, 7UL)] // RDX >= divisor
    [TestCase("Idiv", 1, 0x8000UL, 0UL, 0xFFUL)] // -32768 / -1
    [TestCase("Idiv", 1, 0x0080UL, 0UL, 1UL)] // 128 / 1 does not fit a signed byte
    [TestCase("Idiv", 2, 0x0000UL, 0x8000UL, 0xFFFFUL)] // -2^31 / -1
    [TestCase("Idiv", 4, 0UL, 0x80000000UL, 0xFFFFFFFFUL)]
    [TestCase("Idiv", 8, 0UL, 0x8000000000000000UL, ulong.MaxValue)] // -2^127 / -1
    [TestCase("Idiv", 8, 0UL, 0UL, 0UL)]
    public void DivideErrorsFaultWithoutSideEffects(string mnemonic, int size, ulong rax, ulong rdx, ulong divisorValue)
    {
        foreach (bool inMemory in new[] { false, true })
        {
            CaseContext ctx = Tester.Context(size);
            CpuState state = ctx.NewState();
            ctx.Reserve(Gpr.Rax, Gpr.Rdx);
            TestOperand divisor = inMemory ? ctx.Memory(state, size) : TestOperand.Gpr(CaseContext.FullRegister((int)Gpr.Rbx, size));
            state.Gpr[0] = size == 1 ? (state.Gpr[0] & ~0xFFFFUL) | rax : rax;
            state.Gpr[2] = rdx;
            divisor.Write(state, divisorValue);
            byte[] code = Encode(CodeFor(mnemonic + "_rm{0}", size), divisor);
            Assert.That(RaisesDivideError(state, size, divisor, mnemonic == "Idiv"), Is.True, "the reference model agrees this is #DE");

            var (after, stop, fault, rip) = Tester.Simulate(code, state);

            Assert.Multiple(() =>
            {
                Assert.That(stop, Is.EqualTo(StopReason.Fault), Disassemble(code));
                Assert.That(fault?.Vector, Is.EqualTo(ExceptionVector.DivideError));
                Assert.That(rip, Is.EqualTo(SimulatorExecutor.CodeAddress), "RIP stays on the faulting instruction");
                Assert.That(after.Gpr, Is.EqualTo(state.Gpr));
                Assert.That(after.Rflags & RFlags.Status, Is.EqualTo(state.Rflags & RFlags.Status));
            });
        }
    }

    /// <summary>Makes the high half of the dividend a zero/sign extension (IDIV) or smaller than the divisor (DIV).</summary>
    private static void MakeDividendSmall(CpuState state, int size, TestOperand divisor, bool signed)
    {
        var high = size == 1 ? TestOperand.Gpr(Iced.Intel.Register.AH) : TestOperand.Gpr(CaseContext.FullRegister((int)Gpr.Rdx, size));
        var low = TestOperand.Gpr(CaseContext.FullRegister((int)Gpr.Rax, size));
        ulong d = divisor.Read(state);
        if (signed)
        {
            high.Write(state, (low.Read(state) >> ((size * 8) - 1)) != 0 ? ulong.MaxValue : 0);
        }
        else if (d != 0)
        {
            high.Write(state, high.Read(state) % d);
        }
    }

    /// <summary>An independent reference (BigInteger) for when DIV/IDIV must raise #DE.</summary>
    private static bool RaisesDivideError(CpuState state, int size, TestOperand divisorOperand, bool signed)
    {
        int bits = size * 8;
        ulong mask = TestOperand.Mask(size);
        BigInteger dividend = size == 1
            ? new BigInteger(state.Gpr[0] & 0xFFFF)
            : (new BigInteger(state.Gpr[2] & mask) << bits) | new BigInteger(state.Gpr[0] & mask);
        BigInteger divisor = divisorOperand.Read(state);
        if (signed)
        {
            if (dividend >= BigInteger.One << ((2 * bits) - 1))
            {
                dividend -= BigInteger.One << (2 * bits);
            }

            if (divisor >= BigInteger.One << (bits - 1))
            {
                divisor -= BigInteger.One << bits;
            }
        }

        if (divisor.IsZero)
        {
            return true;
        }

        BigInteger quotient = BigInteger.Divide(dividend, divisor);
        return signed
            ? quotient < -(BigInteger.One << (bits - 1)) || quotient >= BigInteger.One << (bits - 1)
            : quotient >= BigInteger.One << bits;
    }
}
