using KmlSim.Interrupts;
using KmlSim.Memory;

namespace KmlSim.Kernel.Process;

/// <summary>
/// What Linux reports for an exception raised by a process (today's arch/x86/kernel/traps.c and
/// arch/x86/mm/fault.c, since native runs are the oracle): the signal, its siginfo (si_code, si_addr) and
/// the trap state every later signal frame of the thread carries in its sigcontext (trapno, err, cr2).
/// </summary>
/// <param name="Signal">The signal number.</param>
/// <param name="Code">si_code.</param>
/// <param name="Address">si_addr.</param>
/// <param name="Trap">The thread's trap state after the exception.</param>
internal readonly record struct TrapSignal(int Signal, int Code, ulong Address, TrapState Trap)
{
    /// <summary>si_code SEGV_MAPERR: no mapping at the address.</summary>
    public const int SegvMapError = 1;

    /// <summary>si_code SEGV_ACCERR: a mapping that does not allow the access.</summary>
    public const int SegvAccessError = 2;

    /// <summary>si_code ILL_ILLOPN: an illegal operand (what Linux reports for every #UD).</summary>
    public const int IllegalOperand = 2;

    /// <summary>si_code BUS_ADRALN: a misaligned access under alignment checking.</summary>
    public const int BusAlignment = 1;

    /// <summary>si_code TRAP_TRACE: a single-step trap.</summary>
    public const int TrapTrace = 2;

    /// <summary>si_code FPE_INTDIV: integer divide by zero (and, on x86, quotient overflow).</summary>
    public const int IntegerDivide = 1;

    private const int FpeDivide = 3, FpeOverflow = 4, FpeUnderflow = 5, FpeInexact = 6, FpeInvalid = 7;

    /// <summary>
    /// The signal for <paramref name="vector"/> raised by the instruction at <paramref name="rip"/> with
    /// <paramref name="errorCode"/> (0 when the vector pushes none) and, for #PF, <paramref name="cr2"/>;
    /// <paramref name="mapped"/> says whether a mapping covers a faulting user address (SEGV_ACCERR rather
    /// than SEGV_MAPERR); <paramref name="floatingPointErrors"/> are the unmasked exceptions raised
    /// (x87: status &amp; ~control; SSE: MXCSR's flags &amp; ~masks), which decide FPE_*. A spurious
    /// floating-point trap (no unmasked exception) has no signal: null.
    /// </summary>
    public static TrapSignal? For(ExceptionVector vector, uint errorCode, ulong cr2, ulong rip, bool mapped, uint floatingPointErrors, TrapState previous)
    {
        var trap = new TrapState((ulong)vector, errorCode, previous.Cr2);
        int signal = FatalSignal.For(vector);
        switch (vector)
        {
            case ExceptionVector.PageFault:
                // Linux pretends a user access to the kernel half is always a protection fault (fault.c's
                // set_signal_archinfo), and reports SEGV_ACCERR only where a mapping exists.
                bool kernelHalf = cr2 >= ProcessMemory.TaskSize;
                uint reported = errorCode | PageFaultErrorCode.User | (kernelHalf ? PageFaultErrorCode.Present : 0);
                return new TrapSignal(signal, mapped && !kernelHalf ? SegvAccessError : SegvMapError, cr2, new TrapState((ulong)vector, reported, cr2));
            case ExceptionVector.DivideError:
                return new TrapSignal(signal, IntegerDivide, rip, trap);
            case ExceptionVector.InvalidOpcode:
                return new TrapSignal(signal, IllegalOperand, rip, trap);
            case ExceptionVector.Debug:
                return new TrapSignal(signal, TrapTrace, rip, trap);
            case ExceptionVector.AlignmentCheck:
                return new TrapSignal(signal, BusAlignment, 0, trap);
            case ExceptionVector.X87FloatingPoint or ExceptionVector.SimdFloatingPoint:
                return FloatingPointCode(floatingPointErrors) is int code and not 0 ? new TrapSignal(signal, code, rip, trap) : null;
            default: // #BP, #GP, #SS, #NP, #OF, #BR, #TS: do_trap's signal with si_code SI_KERNEL and no address
                return new TrapSignal(signal, SignalInfo.Kernel, 0, trap);
        }
    }

    /// <summary>fpu__exception_code: the first of invalid, divide, overflow, denormal or underflow, precision.</summary>
    private static int FloatingPointCode(uint errors) =>
        (errors & 0x01) != 0 ? FpeInvalid
        : (errors & 0x04) != 0 ? FpeDivide
        : (errors & 0x08) != 0 ? FpeOverflow
        : (errors & 0x12) != 0 ? FpeUnderflow
        : (errors & 0x20) != 0 ? FpeInexact
        : 0;
}
