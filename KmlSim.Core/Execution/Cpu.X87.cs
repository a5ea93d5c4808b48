using System.Runtime.CompilerServices;

namespace KmlSim.Execution;

/// <summary>
/// The x87 floating-point unit: state, the register stack, and the handler registrations. Values are kept
/// in the real 80-bit format (<see cref="Float80"/>) and computed by <see cref="Float80Math"/>, so loads and
/// stores of every memory format are exact, 64-bit integers convert exactly, and arithmetic honours the
/// precision-control and rounding-control fields of the control word.
/// Exceptions are always handled with their masked responses (the Linux default control word 0x037F masks
/// them all): an exception a guest unmasks is recorded in the status word (with ES and B set) but no #MF is
/// delivered. The last-instruction and last-operand pointers are not tracked and read as 0.
/// </summary>
public sealed unsafe partial class Cpu
{
    private const ushort StatusC0 = 1 << 8;
    private const ushort StatusC1 = 1 << 9;
    private const ushort StatusC2 = 1 << 10;
    private const ushort StatusC3 = 1 << 14;
    private const ushort StatusConditionCodes = StatusC0 | StatusC1 | StatusC2 | StatusC3;
    private const ushort StatusErrorSummary = 1 << 7;
    private const ushort StatusBusy = 1 << 15;
    private const int StatusTopShift = 11;

    /// <summary>Physical data registers R0-R7; ST(i) is R[(TOP + i) mod 8].</summary>
    internal readonly Float80[] Fpr = new Float80[8];

    /// <summary>The x87 control word.</summary>
    internal ushort Fcw;

    /// <summary>The status word's exception flags and condition codes (TOP lives in <see cref="FpuTop"/>, ES and B are derived).</summary>
    internal ushort Fsw;

    /// <summary>The top-of-stack pointer (0-7).</summary>
    internal int FpuTop;

    /// <summary>Bit p set: physical register p is empty (tag 11).</summary>
    internal byte FpuEmpty;

    /// <summary>The status word as FNSTSW stores it: TOP in bits 11-13, ES and B set when an unmasked exception is pending.</summary>
    internal ushort FpuStatusWord
    {
        get
        {
            return (ushort)((Fsw & ~(StatusErrorSummary | StatusBusy | (7 << StatusTopShift)))
                | (FpuTop << StatusTopShift)
                | (X87ExceptionPending ? StatusErrorSummary | StatusBusy : 0));
        }
    }

    /// <summary>The precision-control field as significand bits: 24, 53 or 64 (the reserved encoding 01 acts as 64).</summary>
    private int X87Precision => ((Fcw >> 8) & 3) switch
    {
        0 => 24,
        2 => 53,
        _ => 64,
    };

    /// <summary>The rounding-control field.</summary>
    private FpuRounding X87Rounding => (FpuRounding)((Fcw >> 10) & 3);

    /// <summary>The FNINIT state (also the state of a new Linux process): all exceptions masked, 64-bit precision, round to nearest, empty stack.</summary>
    private void ResetX87()
    {
        Fcw = 0x037F;
        Fsw = 0;
        FpuTop = 0;
        FpuEmpty = 0xFF;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int PhysicalRegister(int stackIndex) => (FpuTop + stackIndex) & 7;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool X87IsEmpty(int stackIndex) => ((FpuEmpty >> PhysicalRegister(stackIndex)) & 1) != 0;

    /// <summary>Reads ST(i); an empty register is a stack underflow (IE, SF, C1 = 0) whose masked response is the indefinite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Float80 ReadSt(int stackIndex, ref FpuExceptions flags)
    {
        if (X87IsEmpty(stackIndex))
        {
            flags |= FpuExceptions.Invalid | FpuExceptions.StackFault;
            return Float80.Indefinite;
        }

        return Fpr[PhysicalRegister(stackIndex)];
    }

    /// <summary>Writes ST(i) and tags it valid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteSt(int stackIndex, Float80 value)
    {
        int p = PhysicalRegister(stackIndex);
        Fpr[p] = value;
        FpuEmpty &= (byte)~(1 << p);
    }

    /// <summary>Pushes a value; pushing onto a full register is a stack overflow (IE, SF, C1 = 1) that pushes the indefinite.</summary>
    private void X87Push(Float80 value, ref FpuExceptions flags)
    {
        FpuTop = (FpuTop - 1) & 7;
        if (!X87IsEmpty(0))
        {
            flags |= FpuExceptions.Invalid | FpuExceptions.StackFault | FpuExceptions.RoundedUp;
            value = Float80.Indefinite;
        }

        WriteSt(0, value);
    }

    /// <summary>Marks ST(0) empty and increments TOP.</summary>
    private void X87Pop()
    {
        FpuEmpty |= (byte)(1 << FpuTop);
        FpuTop = (FpuTop + 1) & 7;
    }

    /// <summary>
    /// Records an instruction's exceptions in the status word; C1 reports rounding up (or stack overflow).
    /// An invalid operation takes priority over a denormal operand, which is then not reported.
    /// </summary>
    private void X87Commit(FpuExceptions flags)
    {
        if ((flags & FpuExceptions.Invalid) != 0)
        {
            flags &= ~FpuExceptions.Denormal;
        }

        Fsw = (ushort)((Fsw & ~StatusC1) | (ushort)(flags & (FpuExceptions)0x7F) | ((flags & FpuExceptions.RoundedUp) != 0 ? StatusC1 : 0));
        if ((flags & (FpuExceptions)0x3F & ~(FpuExceptions)Fcw) != 0)
        {
            X87ExceptionsChanged();
        }
    }

    /// <summary>A stack fault decides the result (the indefinite) regardless of the operation.</summary>
    private static bool StackFaulted(FpuExceptions flags) => (flags & FpuExceptions.StackFault) != 0;

    internal static void RegisterX87(HandlerTable table)
    {
        RegisterX87LoadStore(table);
        RegisterX87Arithmetic(table);
        RegisterX87Compare(table);
        RegisterX87Control(table);
        RegisterX87Transcendental(table);
        RegisterX87State(table);
        RegisterX87Bcd(table);
    }
}
