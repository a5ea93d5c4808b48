using Iced.Intel;
using KmlSim.Decoding;

namespace KmlSim.Execution;

/// <summary>x87 arithmetic: the six basic operations in every form, and the one-operand ST(0) operations.</summary>
public sealed unsafe partial class Cpu
{
    /// <summary>The basic operation of FADD/FSUB/FSUBR/FMUL/FDIV/FDIVR.</summary>
    private enum X87Operation
    {
        Add,
        Subtract,
        SubtractReverse,
        Multiply,
        Divide,
        DivideReverse,
    }

    private static void RegisterX87Arithmetic(HandlerTable table)
    {
        table.Add(Mnemonic.Fadd, &Fadd);
        table.Add(Mnemonic.Faddp, &Faddp);
        table.Add(Mnemonic.Fiadd, &Fiadd);
        table.Add(Mnemonic.Fsub, &Fsub);
        table.Add(Mnemonic.Fsubp, &Fsubp);
        table.Add(Mnemonic.Fisub, &Fisub);
        table.Add(Mnemonic.Fsubr, &Fsubr);
        table.Add(Mnemonic.Fsubrp, &Fsubrp);
        table.Add(Mnemonic.Fisubr, &Fisubr);
        table.Add(Mnemonic.Fmul, &Fmul);
        table.Add(Mnemonic.Fmulp, &Fmulp);
        table.Add(Mnemonic.Fimul, &Fimul);
        table.Add(Mnemonic.Fdiv, &Fdiv);
        table.Add(Mnemonic.Fdivp, &Fdivp);
        table.Add(Mnemonic.Fidiv, &Fidiv);
        table.Add(Mnemonic.Fdivr, &Fdivr);
        table.Add(Mnemonic.Fdivrp, &Fdivrp);
        table.Add(Mnemonic.Fidivr, &Fidivr);
        table.Add(Mnemonic.Fchs, &Fchs);
        table.Add(Mnemonic.Fabs, &Fabs);
        table.Add(Mnemonic.Fsqrt, &Fsqrt);
        table.Add(Mnemonic.Frndint, &Frndint);
        table.Add(Mnemonic.Fscale, &Fscale);
        table.Add(Mnemonic.Fprem, &Fprem);
        table.Add(Mnemonic.Fprem1, &Fprem1);
        table.Add(Mnemonic.Fxtract, &Fxtract);
    }

    private static void Fadd(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.Add, pop: false, integer: false);

    private static void Faddp(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.Add, pop: true, integer: false);

    private static void Fiadd(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.Add, pop: false, integer: true);

    private static void Fsub(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.Subtract, pop: false, integer: false);

    private static void Fsubp(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.Subtract, pop: true, integer: false);

    private static void Fisub(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.Subtract, pop: false, integer: true);

    private static void Fsubr(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.SubtractReverse, pop: false, integer: false);

    private static void Fsubrp(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.SubtractReverse, pop: true, integer: false);

    private static void Fisubr(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.SubtractReverse, pop: false, integer: true);

    private static void Fmul(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.Multiply, pop: false, integer: false);

    private static void Fmulp(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.Multiply, pop: true, integer: false);

    private static void Fimul(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.Multiply, pop: false, integer: true);

    private static void Fdiv(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.Divide, pop: false, integer: false);

    private static void Fdivp(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.Divide, pop: true, integer: false);

    private static void Fidiv(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.Divide, pop: false, integer: true);

    private static void Fdivr(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.DivideReverse, pop: false, integer: false);

    private static void Fdivrp(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.DivideReverse, pop: true, integer: false);

    private static void Fidivr(Cpu cpu, ref DecodedInstruction d) => cpu.X87Arithmetic(ref d, X87Operation.DivideReverse, pop: false, integer: true);

    /// <summary>
    /// The common body of the basic operations. Forms (Intel operand order, as Iced decodes them):
    /// memory: ST(0) = ST(0) op m; registers: op0 = op0 op op1 (FSUBR/FDIVR swap the operands).
    /// The memory operand is read before any FPU state changes, so a fault leaves the FPU untouched.
    /// </summary>
    private void X87Arithmetic(ref DecodedInstruction d, X87Operation operation, bool pop, bool integer)
    {
        var flags = FpuExceptions.None;
        int destination;
        Float80 a, b;
        if (d.Kind0 == OperandKind.Memory)
        {
            b = integer ? LoadInteger(ref d) : LoadReal(ref d, ref flags);
            destination = 0;
            a = ReadSt(0, ref flags);
        }
        else
        {
            destination = d.OpCount > 0 ? d.Reg0 : 1;
            a = ReadSt(destination, ref flags);
            b = ReadSt(d.OpCount > 1 ? d.Reg1 : 0, ref flags);
        }

        int precision = X87Precision;
        FpuRounding rounding = X87Rounding;
        Float80 result = StackFaulted(flags) ? Float80.Indefinite : operation switch
        {
            X87Operation.Add => Float80Math.Add(a, b, subtract: false, precision, rounding, ref flags),
            X87Operation.Subtract => Float80Math.Add(a, b, subtract: true, precision, rounding, ref flags),
            X87Operation.SubtractReverse => Float80Math.Add(b, a, subtract: true, precision, rounding, ref flags),
            X87Operation.Multiply => Float80Math.Multiply(a, b, precision, rounding, ref flags),
            X87Operation.Divide => Float80Math.Divide(a, b, precision, rounding, ref flags),
            _ => Float80Math.Divide(b, a, precision, rounding, ref flags),
        };
        WriteSt(destination, result);
        X87Commit(flags);
        if (pop)
        {
            X87Pop();
        }
    }

    private static void Fchs(Cpu cpu, ref DecodedInstruction d)
    {
        var flags = FpuExceptions.None;
        Float80 value = cpu.ReadSt(0, ref flags);
        cpu.WriteSt(0, StackFaulted(flags) ? value : value.Negate());
        cpu.X87Commit(flags);
    }

    private static void Fabs(Cpu cpu, ref DecodedInstruction d)
    {
        var flags = FpuExceptions.None;
        Float80 value = cpu.ReadSt(0, ref flags);
        cpu.WriteSt(0, StackFaulted(flags) ? value : value.Abs());
        cpu.X87Commit(flags);
    }

    private static void Fsqrt(Cpu cpu, ref DecodedInstruction d)
    {
        var flags = FpuExceptions.None;
        Float80 value = cpu.ReadSt(0, ref flags);
        cpu.WriteSt(0, StackFaulted(flags) ? value : Float80Math.SquareRoot(value, cpu.X87Precision, cpu.X87Rounding, ref flags));
        cpu.X87Commit(flags);
    }

    private static void Frndint(Cpu cpu, ref DecodedInstruction d)
    {
        var flags = FpuExceptions.None;
        Float80 value = cpu.ReadSt(0, ref flags);
        cpu.WriteSt(0, StackFaulted(flags) ? value : Float80Math.RoundToIntegral(value, cpu.X87Rounding, ref flags));
        cpu.X87Commit(flags);
    }

    private static void Fscale(Cpu cpu, ref DecodedInstruction d)
    {
        var flags = FpuExceptions.None;
        Float80 value = cpu.ReadSt(0, ref flags);
        Float80 scale = cpu.ReadSt(1, ref flags);
        cpu.WriteSt(0, StackFaulted(flags) ? Float80.Indefinite : Float80Math.Scale(value, scale, cpu.X87Rounding, ref flags));
        cpu.X87Commit(flags);
    }

    private static void Fprem(Cpu cpu, ref DecodedInstruction d) => cpu.X87Remainder(roundToNearest: false);

    private static void Fprem1(Cpu cpu, ref DecodedInstruction d) => cpu.X87Remainder(roundToNearest: true);

    /// <summary>FPREM/FPREM1: C2 = 1 while the reduction is incomplete; when complete C0, C3, C1 = quotient bits 2, 1, 0.</summary>
    private void X87Remainder(bool roundToNearest)
    {
        var flags = FpuExceptions.None;
        Float80 dividend = ReadSt(0, ref flags);
        Float80 divisor = ReadSt(1, ref flags);
        bool incomplete = false;
        ulong quotient = 0;
        Float80 result = StackFaulted(flags)
            ? Float80.Indefinite
            : Float80Math.Remainder(dividend, divisor, roundToNearest, ref flags, out incomplete, out quotient);
        WriteSt(0, result);
        X87Commit(flags & ~FpuExceptions.RoundedUp);
        Fsw &= unchecked((ushort)~StatusConditionCodes);
        if (incomplete)
        {
            Fsw |= StatusC2;
        }
        else
        {
            Fsw |= (ushort)(((quotient & 4) != 0 ? StatusC0 : 0) | ((quotient & 2) != 0 ? StatusC3 : 0) | ((quotient & 1) != 0 ? StatusC1 : 0));
        }
    }

    private static void Fxtract(Cpu cpu, ref DecodedInstruction d)
    {
        var flags = FpuExceptions.None;
        Float80 value = cpu.ReadSt(0, ref flags);
        (Float80 exponent, Float80 significand) = StackFaulted(flags)
            ? (Float80.Indefinite, Float80.Indefinite)
            : Float80Math.Extract(value, ref flags);
        cpu.WriteSt(0, exponent);
        cpu.X87Push(significand, ref flags);
        cpu.X87Commit(flags);
    }
}
