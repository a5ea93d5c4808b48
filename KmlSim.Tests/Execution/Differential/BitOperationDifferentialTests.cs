using Iced.Intel;
using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Tests.Native;
using static KmlSim.Tests.Native.InstructionEncoding;

namespace KmlSim.Tests.Execution.Differential;

/// <summary>BT/BTS/BTR/BTC, BSF/BSR (and TZCNT/LZCNT executing as them), BSWAP against the host CPU.</summary>
[Category("Differential")]
public class BitOperationDifferentialTests : DifferentialFixture
{
    private static readonly string[] BitTests = ["Bt", "Bts", "Btr", "Btc"];

    /// <summary>
    /// Register and immediate bit offsets, register and memory bases. With a memory base and a register
    /// offset the bit may lie kilobytes before or after the operand (the buffer is compared too).
    /// </summary>
    [Test]
    public void BitTestsMatchTheHost() => Tester.Run(4000, 301, ctx =>
    {
        CpuState state = ctx.NewState();
        int size = 2 << ctx.Rng.Next(3);
        string mnemonic = BitTests[ctx.Rng.Next(BitTests.Length)];
        bool immediate = ctx.Rng.Next(3) == 0;
        if (immediate)
        {
            TestOperand target = ctx.GprOrMemory(state, size);
            int bit = ctx.Rng.Next(2) == 0 ? ctx.Rng.Next(256) : ctx.Rng.Next(size * 8);
            byte[] code = Encode(CodeFor(mnemonic + "_rm{0}_imm8", size), target, TestOperand.Imm(bit));
            return new DifferentialCase { Code = code, Input = state, DefinedFlags = RFlags.CF };
        }

        TestOperand offsetRegister = ctx.Gpr(size);
        TestOperand bitBase = ctx.GprOrMemory(state, size);

        // Keep memory accesses inside the buffer: the base points at its middle, +-64 bytes of displacement.
        int reach = ((ctx.BufferMiddle - 128) * 8) - 64;
        long offset = ctx.Rng.Next(3) switch
        {
            0 => ctx.Rng.Next(-70, 70),
            1 => ctx.Rng.Next(-reach, reach),
            _ => ctx.Rng.Next(size * 8),
        };
        if (bitBase.Kind == TestOperandKind.Register)
        {
            offset = (long)InputValues.Next(ctx.Rng, size);
        }

        offsetRegister.Write(state, (ulong)offset);
        byte[] registerForm = Encode(CodeFor(mnemonic + "_rm{0}_r{0}", size), bitBase, offsetRegister);
        return new DifferentialCase { Code = registerForm, Input = state, DefinedFlags = RFlags.CF };
    });

    /// <summary>BSF and BSR: ZF, and the destination (unchanged when the source is zero).</summary>
    [Test]
    public void BitScansMatchTheHost() => Tester.Run(3000, 302, ctx => BitScan(ctx, useCountEncoding: false));

    /// <summary>The K8 has no BMI1/ABM: F3 0F BC/BD are BSF/BSR. The host (which may have them) runs BSF/BSR.</summary>
    [Test]
    public void TzcntAndLzcntEncodingsExecuteAsBitScans() => Tester.Run(2000, 303, ctx => BitScan(ctx, useCountEncoding: true));

    /// <summary>BSWAP of 32- and 64-bit registers; and the 16-bit form (undefined in the manual) clears the word as the host does.</summary>
    [Test]
    public void ByteSwapsMatchTheHost() => Tester.Run(2000, 304, ctx =>
    {
        CpuState state = ctx.NewState();
        int size = 2 << ctx.Rng.Next(3);
        TestOperand register = ctx.Gpr(size);
        return new DifferentialCase { Code = Encode(CodeFor("Bswap_r{0}", size), register), Input = state };
    });

    /// <summary>POPCNT does not exist on the K8 (no ABM): it must raise #UD.</summary>
    [Test]
    public void PopcntRaisesInvalidOpcode()
    {
        CpuState state = Tester.Context(304).NewState();
        byte[] code = Encode(Code.Popcnt_r64_rm64, TestOperand.Gpr(Register.RAX), TestOperand.Gpr(Register.RBX));

        var (after, stop, fault, rip) = Tester.Simulate(code, state);

        Assert.Multiple(() =>
        {
            Assert.That(stop, Is.EqualTo(StopReason.Fault));
            Assert.That(fault?.Vector, Is.EqualTo(ExceptionVector.InvalidOpcode));
            Assert.That(rip, Is.EqualTo(SimulatorExecutor.CodeAddress));
            Assert.That(after.Gpr, Is.EqualTo(state.Gpr));
        });
    }

    private static DifferentialCase BitScan(CaseContext ctx, bool useCountEncoding)
    {
        CpuState state = ctx.NewState();
        int size = 2 << ctx.Rng.Next(3);
        bool reverse = ctx.Rng.Next(2) == 0;
        TestOperand destination = ctx.Gpr(size);
        TestOperand source = ctx.GprOrMemory(state, size);
        byte[] scan = Encode(CodeFor((reverse ? "Bsr" : "Bsf") + "_r{0}_rm{0}", size), destination, source);
        if (!useCountEncoding)
        {
            return new DifferentialCase { Code = scan, Input = state, DefinedFlags = RFlags.ZF };
        }

        byte[] count = Encode(CodeFor((reverse ? "Lzcnt" : "Tzcnt") + "_r{0}_rm{0}", size), destination, source);
        return new DifferentialCase { Code = count, NativeCode = scan, Input = state, DefinedFlags = RFlags.ZF };
    }
}
