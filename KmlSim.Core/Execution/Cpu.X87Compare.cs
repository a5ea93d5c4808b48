using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>x87 comparisons (to the condition codes or to RFLAGS) and classification.</summary>
public sealed unsafe partial class Cpu
{
    private static void RegisterX87Compare(HandlerTable table)
    {
        table.Add(Mnemonic.Fcom, &Fcom);
        table.Add(Mnemonic.Fcomp, &Fcomp);
        table.Add(Mnemonic.Fcompp, &Fcompp);
        table.Add(Mnemonic.Ficom, &Ficom);
        table.Add(Mnemonic.Ficomp, &Ficomp);
        table.Add(Mnemonic.Fucom, &Fucom);
        table.Add(Mnemonic.Fucomp, &Fucomp);
        table.Add(Mnemonic.Fucompp, &Fucompp);
        table.Add(Mnemonic.Fcomi, &Fcomi);
        table.Add(Mnemonic.Fcomip, &Fcomip);
        table.Add(Mnemonic.Fucomi, &Fucomi);
        table.Add(Mnemonic.Fucomip, &Fucomip);
        table.Add(Mnemonic.Ftst, &Ftst);
        table.Add(Mnemonic.Fxam, &Fxam);
    }

    private static void Fcom(Cpu cpu, ref DecodedInstruction d) => cpu.X87CompareToStatus(ref d, quietNaNsSignal: true, pops: 0, integer: false);

    private static void Fcomp(Cpu cpu, ref DecodedInstruction d) => cpu.X87CompareToStatus(ref d, quietNaNsSignal: true, pops: 1, integer: false);

    private static void Fcompp(Cpu cpu, ref DecodedInstruction d) => cpu.X87CompareToStatus(ref d, quietNaNsSignal: true, pops: 2, integer: false);

    private static void Ficom(Cpu cpu, ref DecodedInstruction d) => cpu.X87CompareToStatus(ref d, quietNaNsSignal: true, pops: 0, integer: true);

    private static void Ficomp(Cpu cpu, ref DecodedInstruction d) => cpu.X87CompareToStatus(ref d, quietNaNsSignal: true, pops: 1, integer: true);

    private static void Fucom(Cpu cpu, ref DecodedInstruction d) => cpu.X87CompareToStatus(ref d, quietNaNsSignal: false, pops: 0, integer: false);

    private static void Fucomp(Cpu cpu, ref DecodedInstruction d) => cpu.X87CompareToStatus(ref d, quietNaNsSignal: false, pops: 1, integer: false);

    private static void Fucompp(Cpu cpu, ref DecodedInstruction d) => cpu.X87CompareToStatus(ref d, quietNaNsSignal: false, pops: 2, integer: false);

    private static void Fcomi(Cpu cpu, ref DecodedInstruction d) => cpu.X87CompareToFlags(ref d, quietNaNsSignal: true, pop: false);

    private static void Fcomip(Cpu cpu, ref DecodedInstruction d) => cpu.X87CompareToFlags(ref d, quietNaNsSignal: true, pop: true);

    private static void Fucomi(Cpu cpu, ref DecodedInstruction d) => cpu.X87CompareToFlags(ref d, quietNaNsSignal: false, pop: false);

    private static void Fucomip(Cpu cpu, ref DecodedInstruction d) => cpu.X87CompareToFlags(ref d, quietNaNsSignal: false, pop: true);

    /// <summary>
    /// Compares ST(0) with the instruction's source: a memory operand (real or integer), ST(i) (the second
    /// operand in Iced's "st(0), st(i)" forms), or ST(1) for the operand-less forms.
    /// </summary>
    private FpuComparison X87CompareSource(ref DecodedInstruction d, bool quietNaNsSignal, bool integer, ref FpuExceptions flags)
    {
        Float80 source;
        if (d.Kind0 == OperandKind.Memory)
        {
            source = integer ? LoadInteger(ref d) : LoadReal(ref d, ref flags);
        }
        else
        {
            source = ReadSt(d.OpCount > 1 ? d.Reg1 : 1, ref flags);
        }

        Float80 top = ReadSt(0, ref flags);
        return StackFaulted(flags) ? FpuComparison.Unordered : Float80Math.Compare(top, source, quietNaNsSignal, ref flags);
    }

    /// <summary>FCOM/FUCOM/FICOM family: C3, C2, C0 = 000 greater, 001 less, 100 equal, 111 unordered; C1 = 0.</summary>
    private void X87CompareToStatus(ref DecodedInstruction d, bool quietNaNsSignal, int pops, bool integer)
    {
        var flags = FpuExceptions.None;
        FpuComparison result = X87CompareSource(ref d, quietNaNsSignal, integer, ref flags);
        X87Commit(flags & ~FpuExceptions.RoundedUp);
        SetConditionCodes(result switch
        {
            FpuComparison.Greater => 0,
            FpuComparison.Less => StatusC0,
            FpuComparison.Equal => StatusC3,
            _ => StatusC3 | StatusC2 | StatusC0,
        });
        for (int i = 0; i < pops; i++)
        {
            X87Pop();
        }
    }

    /// <summary>FCOMI/FUCOMI family: ZF, PF, CF = 000 greater, 001 less, 100 equal, 111 unordered; OF, SF, AF cleared.</summary>
    private void X87CompareToFlags(ref DecodedInstruction d, bool quietNaNsSignal, bool pop)
    {
        var flags = FpuExceptions.None;
        FpuComparison result = X87CompareSource(ref d, quietNaNsSignal, integer: false, ref flags);
        X87Commit(flags & ~FpuExceptions.RoundedUp);
        SetStatus(result switch
        {
            FpuComparison.Greater => 0,
            FpuComparison.Less => RFlags.CF,
            FpuComparison.Equal => RFlags.ZF,
            _ => RFlags.ZF | RFlags.PF | RFlags.CF,
        });
        if (pop)
        {
            X87Pop();
        }
    }

    /// <summary>Replaces C0-C3 (C1 included) in the status word.</summary>
    private void SetConditionCodes(ushort codes) => Fsw = (ushort)((Fsw & ~StatusConditionCodes) | codes);

    /// <summary>FTST: compares ST(0) with +0.0 (a NaN raises IE, as for FCOM).</summary>
    private static void Ftst(Cpu cpu, ref DecodedInstruction d)
    {
        var flags = FpuExceptions.None;
        Float80 top = cpu.ReadSt(0, ref flags);
        FpuComparison result = StackFaulted(flags) ? FpuComparison.Unordered : Float80Math.Compare(top, Float80.Zero(false), true, ref flags);
        cpu.X87Commit(flags & ~FpuExceptions.RoundedUp);
        cpu.SetConditionCodes(result switch
        {
            FpuComparison.Greater => 0,
            FpuComparison.Less => StatusC0,
            FpuComparison.Equal => StatusC3,
            _ => StatusC3 | StatusC2 | StatusC0,
        });
    }

    /// <summary>
    /// FXAM: classifies ST(0) into C3, C2, C0 (unsupported 000, NaN 001, normal 010, infinity 011, zero 100,
    /// empty 101, denormal 110) with C1 = its sign. No exception.
    /// </summary>
    private static void Fxam(Cpu cpu, ref DecodedInstruction d)
    {
        Float80 value = cpu.Fpr[cpu.PhysicalRegister(0)];
        ushort kind = cpu.X87IsEmpty(0) ? (ushort)(StatusC3 | StatusC0)
            : value.IsUnsupported ? (ushort)0
            : value.IsNaN ? StatusC0
            : value.IsInfinity ? (ushort)(StatusC2 | StatusC0)
            : value.Exponent == Float80.MaxExponent ? (ushort)0
            : value.IsZero ? StatusC3
            : value.IsDenormal ? (ushort)(StatusC3 | StatusC2)
            : StatusC2;
        cpu.SetConditionCodes((ushort)(kind | (value.Negative ? StatusC1 : 0)));
    }
}
