using KmlSim.Execution;
using KmlSim.Interrupts;

namespace KmlSim.Kernel.Process;

/// <summary>
/// The signal Linux sends for a CPU exception raised in user mode (arch/x86/kernel/traps.c), and the
/// report of the fault that killed a process. No signal handlers exist yet, so the signal is fatal.
/// </summary>
internal static class FatalSignal
{
    /// <summary>SIGILL.</summary>
    public const int IllegalInstruction = 4;
    /// <summary>SIGTRAP.</summary>
    public const int Trap = 5;
    /// <summary>SIGBUS.</summary>
    public const int BusError = 7;
    /// <summary>SIGFPE.</summary>
    public const int FloatingPointError = 8;
    /// <summary>SIGSEGV.</summary>
    public const int SegmentationFault = 11;

    /// <summary>The signal for an exception vector.</summary>
    public static int For(ExceptionVector vector) => vector switch
    {
        ExceptionVector.InvalidOpcode => IllegalInstruction,
        ExceptionVector.DivideError or ExceptionVector.X87FloatingPoint or ExceptionVector.SimdFloatingPoint => FloatingPointError,
        ExceptionVector.Breakpoint or ExceptionVector.Debug => Trap,
        ExceptionVector.AlignmentCheck or ExceptionVector.MachineCheck => BusError,
        _ => SegmentationFault, // #PF, #GP, #SS, #NP, #BR, #OF and anything a user program cannot otherwise cause
    };

    /// <summary>The signal's name, e.g. "SIGSEGV".</summary>
    public static string Name(int signal) => signal switch
    {
        IllegalInstruction => "SIGILL",
        Trap => "SIGTRAP",
        BusError => "SIGBUS",
        FloatingPointError => "SIGFPE",
        SegmentationFault => "SIGSEGV",
        _ => $"signal {signal}",
    };

    /// <summary>Describes a fatal fault: signal, exception, faulting address, and the instruction at RIP.</summary>
    public static string Describe(Cpu cpu, GuestFaultException fault)
    {
        string detail = fault.Vector == ExceptionVector.PageFault
            ? $", accessing 0x{fault.FaultAddress:x}, error code 0x{fault.ErrorCode ?? 0:x}"
            : fault.ErrorCode is { } code ? $", error code 0x{code:x}" : "";
        return $"{Name(For(fault.Vector))} ({Mnemonic(fault.Vector)}{detail}) at 0x{cpu.Rip:x}: {cpu.Disassemble(cpu.Rip)}";
    }

    /// <summary>The manuals' short name of an exception, e.g. "#UD".</summary>
    private static string Mnemonic(ExceptionVector vector) => vector switch
    {
        ExceptionVector.DivideError => "#DE",
        ExceptionVector.Debug => "#DB",
        ExceptionVector.Breakpoint => "#BP",
        ExceptionVector.Overflow => "#OF",
        ExceptionVector.BoundRange => "#BR",
        ExceptionVector.InvalidOpcode => "#UD",
        ExceptionVector.DeviceNotAvailable => "#NM",
        ExceptionVector.StackFault => "#SS",
        ExceptionVector.SegmentNotPresent => "#NP",
        ExceptionVector.GeneralProtection => "#GP",
        ExceptionVector.PageFault => "#PF",
        ExceptionVector.X87FloatingPoint => "#MF",
        ExceptionVector.AlignmentCheck => "#AC",
        ExceptionVector.SimdFloatingPoint => "#XF",
        _ => vector.ToString(),
    };
}
