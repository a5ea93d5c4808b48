using Iced.Intel;
using KmlSim.Tests.Native;
using static Iced.Intel.AssemblerRegisters;
using static KmlSim.Tests.Native.InstructionEncoding;

namespace KmlSim.Tests.Execution.Differential;

/// <summary>
/// CMPXCHG8B, XLAT, FBLD/FBSTP and the 16-bit forms of FNSTENV, FLDENV, FNSAVE and FRSTOR against the host CPU.
/// </summary>
[Category("Differential")]
public class LegacyInstructionDifferentialTests : DifferentialFixture
{
    /// <summary>CMPXCHG8B with EDX:EAX equal to the quadword half the time, over random flags (only ZF may change).</summary>
    [Test]
    public void Cmpxchg8bMatchesTheHost() => Tester.Run(500, 541, ctx =>
    {
        CpuState state = ctx.NewState();
        RandomOperands.PointAtBuffer(ctx, state);
        int displacement = 8 * ctx.Rng.Next(-16, 16);
        if (ctx.Rng.Next(2) == 0)
        {
            state.WriteMemory(ctx.BufferMiddle + displacement, 8, (uint)state.Gpr[0] | ((ulong)(uint)state.Gpr[2] << 32));
        }

        var instruction = Instruction.Create(Code.Cmpxchg8b_m64, new MemoryOperand(Register.RSI, displacement, 1));
        return new DifferentialCase { Code = Encode(instruction), Input = state };
    });

    /// <summary>XLAT over every AL, with RBX anywhere that keeps [RBX + AL] inside the buffer.</summary>
    [Test]
    public void XlatMatchesTheHost() => Tester.Run(500, 542, ctx =>
    {
        CpuState state = ctx.NewState();
        state.Gpr[3] = ctx.Address(ctx.Rng.Next(ctx.BufferLength - 256));
        return new DifferentialCase { Code = Encode(Instruction.Create(Code.Xlat_m8, new MemoryOperand(Register.RBX, Register.AL))), Input = state };
    });

    /// <summary>
    /// FBLD of random 18-digit BCD stored back with FBSTP and as a double; FBSTP of doubles (integers,
    /// halves, signed zeros, values beyond 18 digits, infinities, NaNs) under each rounding control; the
    /// status word (IE, PE, C1) through FNSTSW AX.
    /// </summary>
    [Test]
    public void PackedBcdMatchesTheHost() => Tester.Run(800, 543, ctx =>
    {
        CpuState state = ctx.NewState();
        RandomOperands.PointAtBuffer(ctx, state);
        int middle = ctx.BufferMiddle;
        for (int i = 0; i < 9; i++)
        {
            state.Memory[middle + i] = (byte)(ctx.Rng.Next(10) | (ctx.Rng.Next(10) << 4));
        }

        state.Memory[middle + 9] = (byte)(ctx.Rng.Next(2) << 7);
        double[] specials = [0.0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.3, -0.3, 1e17 + 3, 999999999999999999.0, 1e18, -1e18, 1e19, double.PositiveInfinity, double.NaN, -1.0];
        double value = ctx.Rng.Next(3) == 0 ? specials[ctx.Rng.Next(specials.Length)] : (ctx.Rng.NextDouble() - 0.5) * Math.Pow(10, ctx.Rng.Next(20));
        state.WriteMemory(middle + 32, 8, BitConverter.DoubleToUInt64Bits(value));
        state.WriteMemory(middle + 64, 2, 0x037F | ((ulong)ctx.Rng.Next(4) << 10));
        byte[] code = Assemble(a =>
        {
            a.fninit();
            a.fldcw(__word_ptr[rsi + 64]);
            a.fbld(__tword_ptr[rsi]);
            a.fld(st0);
            a.fbstp(__tword_ptr[rsi + 16]);
            a.fstp(__qword_ptr[rsi + 48]);
            a.fld(__qword_ptr[rsi + 32]);
            a.fbstp(__tword_ptr[rsi + 80]);
            a.fnstsw(ax);
        });
        return new DifferentialCase { Code = code, Input = state, InstructionCount = 9 };
    });

    /// <summary>
    /// The 16-bit environment and save formats: FNSTENV, FNSAVE, FRSTOR, FNSTENV again, FLDENV, FNSAVE, over a
    /// stack of three values and a random control word. The pointer words (host addresses) are cleared.
    /// </summary>
    [Test]
    public void SixteenBitEnvironmentsMatchTheHost() => Tester.Run(200, 544, ctx =>
    {
        CpuState state = ctx.NewState();
        RandomOperands.PointAtBuffer(ctx, state);
        state.WriteMemory(ctx.BufferMiddle + 400, 2, 0x007F | ((ulong)ctx.Rng.Next(4) << 10) | ((ulong)new[] { 0, 2, 3 }[ctx.Rng.Next(3)] << 8));
        int[] images = [0, 32, 128, 144];
        byte[] code = Assemble(a =>
        {
            a.fninit();
            a.fldcw(__word_ptr[rsi + 400]);
            a.fld1();
            a.fldpi();
            a.fldz();
        });
        code = [
            .. code,
            .. Encode(Instruction.Create(Code.Fnstenv_m14byte, new MemoryOperand(Register.RSI, images[0], 1))),
            .. Encode(Instruction.Create(Code.Fnsave_m94byte, new MemoryOperand(Register.RSI, images[1], 1))),
            .. Encode(Instruction.Create(Code.Frstor_m94byte, new MemoryOperand(Register.RSI, images[1], 1))),
            .. Encode(Instruction.Create(Code.Fnstenv_m14byte, new MemoryOperand(Register.RSI, images[2], 8))),
            .. Encode(Instruction.Create(Code.Fldenv_m14byte, new MemoryOperand(Register.RSI, images[0], 1))),
            .. Encode(Instruction.Create(Code.Fnsave_m94byte, new MemoryOperand(Register.RSI, images[3], 8))),
            .. Assemble(a =>
            {
                foreach (int image in images)
                {
                    a.mov(__qword_ptr[rsi + (image + 6)], 0);
                }
            }),
        ];
        return new DifferentialCase { Code = code, Input = state, InstructionCount = 5 + 6 + images.Length };
    });
}
