using KmlSim.Execution;
using KmlSim.Interrupts;

namespace KmlSim.Kernel.Process;

/// <summary>
/// The signal Linux sends for a CPU exception raised in user mode (arch/x86/kernel/traps.c; its siginfo
/// is <see cref="TrapSignal"/>'s), and the report of the fault that killed a process.
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
    /// <summary>SIGKILL (what the out-of-memory killer sends).</summary>
    public const int Kill = 9;
    /// <summary>SIGSEGV.</summary>
    public const int SegmentationFault = 11;

    /// <summary>The signal for an exception vector.</summary>
    public static int For(ExceptionVector vector) => vector switch
    {
        ExceptionVector.InvalidOpcode => IllegalInstruction,
        ExceptionVector.DivideError or ExceptionVector.X87FloatingPoint or ExceptionVector.SimdFloatingPoint => FloatingPointError,
        ExceptionVector.Breakpoint or ExceptionVector.Debug => Trap,
        ExceptionVector.AlignmentCheck or ExceptionVector.MachineCheck or ExceptionVector.StackFault or ExceptionVector.SegmentNotPresent => BusError,
        _ => SegmentationFault, // #PF, #GP, #BR, #OF and anything a user program cannot otherwise cause
    };

    private static readonly string[] Names =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>The signal's name, e.g. "SIGSEGV" (Linux x86-64 numbering; real-time signals by number).</summary>
    public static string Name(int signal) => signal > 0 && signal < Names.Length ? Names[signal] : $"signal {signal}";

    /// <summary>
    /// True for the signals whose default action is to do nothing: SIGCHLD, SIGCONT, SIGURG, SIGWINCH, and
    /// (approximated: a lone process stopped would never be continued) the stop signals.
    /// </summary>
    public static bool IsIgnoredByDefault(int signal) => signal is 17 or 18 or 19 or 20 or 21 or 22 or 23 or 28;

    /// <summary>Describes a fatal fault: signal, exception, faulting address, and the instruction at RIP.</summary>
    public static string Describe(Cpu cpu, GuestFaultException fault) => Describe(cpu, fault, cpu.Rip);

    /// <summary>Describes a fatal fault of the instruction at <paramref name="rip"/> (read from an exception frame).</summary>
    public static string Describe(Cpu cpu, GuestFaultException fault, ulong rip)
    {
        string detail = fault.Vector == ExceptionVector.PageFault
            ? $", accessing 0x{fault.FaultAddress:x}, error code 0x{fault.ErrorCode ?? 0:x}"
            : fault.ErrorCode is { } code ? $", error code 0x{code:x}" : "";
        return $"{Name(For(fault.Vector))} ({ExceptionNames.Mnemonic((byte)fault.Vector)}{detail}) at 0x{rip:x}: {cpu.Disassemble(rip)}";
    }
}
