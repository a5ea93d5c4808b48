using Iced.Intel;
using KmlSim.Decoding;

namespace KmlSim.Execution;

/// <summary>
/// x87 transcendental instructions: F2XM1, FYL2X, FYL2XP1, FPATAN, FSIN, FCOS, FSINCOS, FPTAN. The values
/// come from <see cref="Float80Math"/> (see its remarks for the accuracy); this file holds the register
/// stack behaviour, which follows the host CPU: a stack underflow writes the indefinite to every result
/// register, and FPTAN/FSINCOS with ST(7) in use (stack overflow, C1 = 1) replace ST(0) with the
/// indefinite and push another one.
/// </summary>
public sealed unsafe partial class Cpu
{
    private static void RegisterX87Transcendental(HandlerTable table)
    {
        table.Add(Mnemonic.F2xm1, &F2xm1);
        table.Add(Mnemonic.Fyl2x, &Fyl2x);
        table.Add(Mnemonic.Fyl2xp1, &Fyl2xp1);
        table.Add(Mnemonic.Fpatan, &Fpatan);
        table.Add(Mnemonic.Fsin, &Fsin);
        table.Add(Mnemonic.Fcos, &Fcos);
        table.Add(Mnemonic.Fsincos, &Fsincos);
        table.Add(Mnemonic.Fptan, &Fptan);
    }

    private static void F2xm1(Cpu cpu, ref DecodedInstruction d)
    {
        var flags = FpuExceptions.None;
        Float80 x = cpu.ReadSt(0, ref flags);
        cpu.WriteSt(0, StackFaulted(flags) ? Float80.Indefinite : Float80Math.TwoToXMinusOne(x, cpu.X87Rounding, ref flags));
        cpu.X87Commit(flags);
    }

    private static void Fyl2x(Cpu cpu, ref DecodedInstruction d) => cpu.X87BinaryTranscendental(&Float80Math.YLog2X);

    private static void Fyl2xp1(Cpu cpu, ref DecodedInstruction d) => cpu.X87BinaryTranscendental(&Float80Math.YLog2XPlusOne);

    private static void Fpatan(Cpu cpu, ref DecodedInstruction d) => cpu.X87BinaryTranscendental(&Float80Math.Arctangent);

    /// <summary>FYL2X, FYL2XP1, FPATAN: ST(1) = f(y = ST(1), x = ST(0)), then pop.</summary>
    private void X87BinaryTranscendental(delegate*<Float80, Float80, FpuRounding, ref FpuExceptions, Float80> function)
    {
        var flags = FpuExceptions.None;
        Float80 x = ReadSt(0, ref flags);
        Float80 y = ReadSt(1, ref flags);
        WriteSt(1, StackFaulted(flags) ? Float80.Indefinite : function(y, x, X87Rounding, ref flags));
        X87Commit(flags);
        X87Pop();
    }

    private static void Fsin(Cpu cpu, ref DecodedInstruction d) => cpu.X87Trigonometric(TrigFunction.Sine);

    private static void Fcos(Cpu cpu, ref DecodedInstruction d) => cpu.X87Trigonometric(TrigFunction.Cosine);

    /// <summary>FSIN/FCOS: C2 = 1 and ST(0) unchanged when |ST(0)| ≥ 2^63, else C2 = 0.</summary>
    private void X87Trigonometric(TrigFunction function)
    {
        var flags = FpuExceptions.None;
        Float80 x = ReadSt(0, ref flags);
        bool outside = !StackFaulted(flags) && Float80Math.OutsideTrigRange(x);
        if (!outside)
        {
            WriteSt(0, StackFaulted(flags) ? Float80.Indefinite : Float80Math.Trigonometric(function, x, X87Rounding, ref flags));
        }

        X87Commit(flags);
        Fsw = (ushort)((Fsw & ~StatusC2) | (outside ? StatusC2 : 0));
    }

    /// <summary>FSINCOS: ST(0) = sin, then cos is pushed; C1 reports the rounding of the sine (as on the host).</summary>
    private static void Fsincos(Cpu cpu, ref DecodedInstruction d) => cpu.X87TwoResultTrigonometric(TrigFunction.Sine, TrigFunction.Cosine);

    /// <summary>FPTAN: ST(0) = tan, then 1.0 is pushed (a NaN result is pushed instead, as the host does).</summary>
    private static void Fptan(Cpu cpu, ref DecodedInstruction d) => cpu.X87TwoResultTrigonometric(TrigFunction.Tangent, null);

    private void X87TwoResultTrigonometric(TrigFunction first, TrigFunction? pushed)
    {
        var flags = FpuExceptions.None;
        Float80 x = ReadSt(0, ref flags);
        bool outside = false;
        if (StackFaulted(flags) || !X87IsEmpty(7))
        {
            // Underflow or overflow: both result registers get the indefinite (X87Push reports an overflow).
            WriteSt(0, Float80.Indefinite);
            X87Push(Float80.Indefinite, ref flags);
        }
        else if (Float80Math.OutsideTrigRange(x))
        {
            outside = true;
        }
        else
        {
            Float80 result = Float80Math.Trigonometric(first, x, X87Rounding, ref flags);
            Float80 second = new(false, Float80.Bias, Float80.IntegerBit);
            if (result.IsNaN)
            {
                second = result;
            }
            else if (pushed is { } function)
            {
                FpuExceptions secondFlags = FpuExceptions.None;
                second = Float80Math.Trigonometric(function, x, X87Rounding, ref secondFlags);
                flags |= secondFlags & ~FpuExceptions.RoundedUp;
            }

            WriteSt(0, result);
            X87Push(second, ref flags);
        }

        X87Commit(flags);
        Fsw = (ushort)((Fsw & ~StatusC2) | (outside ? StatusC2 : 0));
    }
}
