using Iced.Intel;
using KmlSim.Tests.Native;
using static Iced.Intel.AssemblerRegisters;
using static KmlSim.Tests.Native.InstructionEncoding;

namespace KmlSim.Tests.Execution.Differential;

/// <summary>
/// ENTER and LEAVE in both operand sizes (64-bit default, 16-bit with 66h) against the host CPU. The stack
/// pointer is moved into the data buffer for the instruction, so the pushed frame pointers are compared as
/// memory, the new RSP through R14, and RBP directly; R15 keeps the host's stack pointer meanwhile (then is cleared).
/// </summary>
[Category("Differential")]
public class FrameDifferentialTests : DifferentialFixture
{
    private static readonly byte[] SwitchToBufferStack = Assemble(a =>
    {
        a.mov(r15, rsp);
        a.mov(rsp, rbx);
    });

    private static readonly byte[] SwitchBack = Assemble(a =>
    {
        a.mov(r14, rsp);
        a.mov(rsp, r15);
        a.mov(r15d, 0); // the host's stack pointer is not part of the result
    });

    /// <summary>
    /// ENTER with every nesting level 0-31 (the level is taken modulo 32) and random frame sizes below 4 KiB:
    /// the host (like Intel's definition) probes the final stack pointer, so it must stay inside the buffer.
    /// </summary>
    [Test]
    public void EnterMatchesTheHost([Values(Code.Enterq_imm16_imm8, Code.Enterw_imm16_imm8)] Code enter) => Tester.Run(600, 511, ctx =>
    {
        CpuState state = StackInBuffer(ctx);
        int level = ctx.Rng.Next(64);
        if ((level & 31) <= 1)
        {
            state.Gpr[5] = InputValues.Register(ctx.Rng); // only pushed, never used as an address
        }

        var instruction = Instruction.Create(enter, (uint)ctx.Rng.Next(0x1000), (uint)level);
        return new DifferentialCase { Code = [.. SwitchToBufferStack, .. Encode(instruction), .. SwitchBack], Input = state, InstructionCount = 6 };
    });

    /// <summary>LEAVE (RSP = RBP, pop the frame pointer) in both sizes: LEAVEW pops only BP.</summary>
    [Test]
    public void LeaveMatchesTheHost([Values(Code.Leaveq, Code.Leavew)] Code leave) => Tester.Run(300, 512, ctx =>
    {
        CpuState state = StackInBuffer(ctx);
        return new DifferentialCase { Code = [.. SwitchToBufferStack, .. Encode(Instruction.Create(leave)), .. SwitchBack], Input = state, InstructionCount = 6 };
    });

    /// <summary>RSP (via RBX) and RBP point into the upper half of the buffer, so 31 nested 8-byte copies stay inside it.</summary>
    private static CpuState StackInBuffer(CaseContext ctx)
    {
        CpuState state = ctx.NewState();
        state.Gpr[3] = ctx.Address(ctx.BufferLength - 16 - (2 * ctx.Rng.Next(200)));
        state.Gpr[5] = ctx.Address(ctx.BufferMiddle + 512 + (2 * ctx.Rng.Next(1000)));
        return state;
    }
}
