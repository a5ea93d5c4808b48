using KmlSim.Isa;
using KmlSim.Tests.Native;
using static KmlSim.Tests.Native.InstructionEncoding;

namespace KmlSim.Tests.Execution.Differential;

/// <summary>Shifts and rotates against the host CPU, all sizes, register/memory destinations, count 1/imm8/CL.</summary>
[Category("Differential")]
public class ShiftDifferentialTests : DifferentialFixture
{
    private static readonly string[] ShiftMnemonics = ["Shl", "Sal", "Shr", "Sar"];
    private static readonly string[] RotateMnemonics = ["Rol", "Ror", "Rcl", "Rcr"];

    /// <summary>SHL/SAL/SHR/SAR.</summary>
    [Test]
    public void ShiftsMatchTheHost() => Tester.Run(4000, 101, ctx => SingleShift(ctx, ShiftMnemonics[ctx.Rng.Next(ShiftMnemonics.Length)]));

    /// <summary>ROL/ROR/RCL/RCR.</summary>
    [Test]
    public void RotatesMatchTheHost() => Tester.Run(4000, 102, ctx => SingleShift(ctx, RotateMnemonics[ctx.Rng.Next(RotateMnemonics.Length)]));

    /// <summary>SHLD/SHRD, 16/32/64-bit, imm8 and CL counts.</summary>
    [Test]
    public void DoubleShiftsMatchTheHost() => Tester.Run(3000, 103, DoubleShift);

    /// <summary>Shift counts where behaviour changes: 0, 1, around the width, at the 5/6-bit mask, and random.</summary>
    internal static int Count(Random rng, int size)
    {
        int bits = size * 8;
        return rng.Next(8) switch
        {
            0 => 0,
            1 => 1,
            2 => bits - 1,
            3 => bits + rng.Next(-1, 2),
            4 => 32 + rng.Next(-1, 2),
            5 => 64 + rng.Next(-1, 2),
            6 => rng.Next(2, 8),
            _ => rng.Next(256),
        };
    }

    private static void SetCl(CpuState state, int count) => state.Gpr[1] = (state.Gpr[1] & ~0xFFUL) | (uint)count;

    private static DifferentialCase SingleShift(CaseContext ctx, string mnemonic)
    {
        CpuState state = ctx.NewState();
        int size = ctx.Size();
        int form = ctx.Rng.Next(3);
        int count = form == 0 ? 1 : Count(ctx.Rng, size);
        ctx.Reserve(Gpr.Rcx);
        TestOperand destination = ctx.GprOrMemory(state, size);
        if (form == 2)
        {
            SetCl(state, count); // after the destination, which may be CL itself
        }

        byte[] code = form switch
        {
            0 => Encode(CodeFor(mnemonic + "_rm{0}_1", size), destination, TestOperand.Imm(1)),
            1 => Encode(CodeFor(mnemonic + "_rm{0}_imm8", size), destination, TestOperand.Imm(count)),
            _ => Encode(CodeFor(mnemonic + "_rm{0}_CL", size), destination, TestOperand.Gpr(Iced.Intel.Register.CL)),
        };

        int masked = count & (size == 8 ? 0x3F : 0x1F);
        bool rotate = mnemonic.StartsWith('R');
        ulong defined = RFlags.Status;
        if (masked != 0)
        {
            defined &= ~(rotate ? 0 : RFlags.AF);
            defined &= masked == 1 ? ~0UL : ~RFlags.OF;
            defined &= mnemonic is "Shl" or "Sal" or "Shr" && masked >= size * 8 ? ~RFlags.CF : ~0UL;
        }

        return new DifferentialCase { Code = code, Input = state, DefinedFlags = defined };
    }

    private static DifferentialCase DoubleShift(CaseContext ctx)
    {
        CpuState state = ctx.NewState();
        int size = 2 << ctx.Rng.Next(3);
        string mnemonic = ctx.Rng.Next(2) == 0 ? "Shld" : "Shrd";
        bool byCl = ctx.Rng.Next(2) == 0;
        int count;
        do
        {
            count = Count(ctx.Rng, size);
        }
        while (size == 2 && (count & 0x1F) > 16); // 16-bit counts above 16 leave the result undefined

        ctx.Reserve(Gpr.Rcx);
        TestOperand source = ctx.Gpr(size);
        TestOperand destination = ctx.GprOrMemory(state, size);
        if (byCl)
        {
            SetCl(state, count);
        }

        byte[] code = byCl
            ? Encode(CodeFor(mnemonic + "_rm{0}_r{0}_CL", size), destination, source, TestOperand.Gpr(Iced.Intel.Register.CL))
            : Encode(CodeFor(mnemonic + "_rm{0}_r{0}_imm8", size), destination, source, TestOperand.Imm(count));
        int masked = count & (size == 8 ? 0x3F : 0x1F);
        ulong defined = masked == 0 ? RFlags.Status : RFlags.Status & ~RFlags.AF & (masked == 1 ? ~0UL : ~RFlags.OF);
        return new DifferentialCase { Code = code, Input = state, DefinedFlags = defined };
    }
}
