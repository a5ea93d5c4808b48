using Iced.Intel;
using KmlSim.Tests.Native;
using static Iced.Intel.AssemblerRegisters;
using static KmlSim.Tests.Native.InstructionEncoding;

namespace KmlSim.Tests.Execution.Differential;

/// <summary>
/// FCMOVcc, all eight conditions, against the host CPU over random status flags: two doubles are loaded,
/// the conditional move runs, and both stack registers are stored back and compared as memory.
/// </summary>
[Category("Differential")]
public class X87ConditionalMoveDifferentialTests : DifferentialFixture
{
    [Test]
    public void FcmovMatchesTheHost([Values(Code.Fcmovb_st0_sti, Code.Fcmove_st0_sti, Code.Fcmovbe_st0_sti, Code.Fcmovu_st0_sti, Code.Fcmovnb_st0_sti, Code.Fcmovne_st0_sti, Code.Fcmovnbe_st0_sti, Code.Fcmovnu_st0_sti)] Code fcmov) => Tester.Run(200, 521, ctx =>
    {
        CpuState state = ctx.NewState();
        state.Gpr[6] = ctx.Address(ctx.BufferMiddle);
        state.WriteMemory(ctx.BufferMiddle, 8, BitConverter.DoubleToUInt64Bits(1.0 + ctx.Rng.Next(1000)));
        state.WriteMemory(ctx.BufferMiddle + 8, 8, BitConverter.DoubleToUInt64Bits(-2.0 - ctx.Rng.Next(1000)));
        byte[] code =
        [
            .. Assemble(a =>
            {
                a.fld(__qword_ptr[rsi]);
                a.fld(__qword_ptr[rsi + 8]);
            }),
            .. Encode(Instruction.Create(fcmov, Register.ST0, Register.ST1)),
            .. Assemble(a =>
            {
                a.fstp(__qword_ptr[rsi + 16]);
                a.fstp(__qword_ptr[rsi + 24]);
            }),
        ];
        return new DifferentialCase { Code = code, Input = state, InstructionCount = 5 };
    });
}
