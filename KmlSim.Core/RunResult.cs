namespace KmlSim;

/// <summary>What a run of <see cref="Machine"/> produced: how it ended, the guest's output, and counters so far.</summary>
public sealed record RunResult
{
    /// <summary>How the run ended.</summary>
    public required RunOutcome Outcome { get; init; }

    /// <summary>The exit status (0..255) when <see cref="Outcome"/> is <see cref="RunOutcome.Exited"/>, else null.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The signal number that killed the program when <see cref="Outcome"/> is <see cref="RunOutcome.Signaled"/>, else null.</summary>
    public int? Signal { get; init; }

    /// <summary>Guest instructions retired since the program started.</summary>
    public required long Instructions { get; init; }

    /// <summary>Host wall-clock seconds spent in <see cref="Machine.Run"/> so far.</summary>
    public required double HostSeconds { get; init; }

    /// <summary>Everything the guest wrote to standard output so far.</summary>
    public required byte[] Stdout { get; init; }

    /// <summary>Everything the guest wrote to standard error so far.</summary>
    public required byte[] Stderr { get; init; }

    /// <summary>System calls the guest made.</summary>
    public required long Syscalls { get; init; }

    /// <summary>SYSCALL instructions of kernel-mode user processes executed as calls to KML's direct entry (the patched C library's model).</summary>
    public long TranslatedSyscalls { get; init; }

    /// <summary>SYSCALL instructions that entered the kernel (all processes).</summary>
    public long SyscallInstructions { get; init; }

    /// <summary>SYSRET instructions the kernel executed.</summary>
    public long SysretInstructions { get; init; }

    /// <summary>SWAPGS instructions the kernel executed.</summary>
    public long SwapgsInstructions { get; init; }

    /// <summary>Task switches the scheduler made.</summary>
    public long ContextSwitches { get; init; }

    /// <summary>Timer interrupts the kernel took (0 under <see cref="KernelMode.SyscallEmulation"/>).</summary>
    public long TimerInterrupts { get; init; }

    /// <summary>System calls answered with ENOSYS because they are not implemented, by name, with counts.</summary>
    public required IReadOnlyDictionary<string, long> UnimplementedSyscalls { get; init; }

    /// <summary>System calls entered by all processes, by name (Linux's x86-64 names; "syscall_N" for a number without one).</summary>
    public IReadOnlyDictionary<string, long> SyscallsByName { get; init; } = new Dictionary<string, long>();

    /// <summary>Every process of the run, the first one first (then in order of process id), ended or still running.</summary>
    public IReadOnlyList<ProcessResult> Processes { get; init; } = [];

    /// <summary>Cycles and timing counters when <see cref="MachineOptions.Timing"/> was set, else null.</summary>
    public Observation.TimingReport? Timing { get; init; }

    /// <summary>
    /// Why the run ended when the program did not simply exit: the signal with the faulting instruction
    /// (for SIGILL, the instruction the simulator does not implement), the limit, or the error.
    /// </summary>
    public string? Message { get; init; }

    /// <summary>The exit status a shell reports: the exit code, 128 + signal, or null for limit and error.</summary>
    public int? ShellExitStatus => Outcome switch
    {
        RunOutcome.Exited => ExitCode,
        RunOutcome.Signaled => 128 + Signal,
        _ => null,
    };
}
