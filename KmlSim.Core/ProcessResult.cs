namespace KmlSim;

/// <summary>What one process of a run did: who it was, how it ended, and what it executed.</summary>
public sealed record ProcessResult
{
    /// <summary>The process id.</summary>
    public required int Pid { get; init; }

    /// <summary>The id of the process that created it (kept when the parent ends first).</summary>
    public required int ParentPid { get; init; }

    /// <summary>The program it last ran (its path in the simulated file system after an execve, as /proc/self/exe names it).</summary>
    public required string ExecutablePath { get; init; }

    /// <summary>How it ended (<see cref="RunOutcome.Exited"/>, <see cref="RunOutcome.Signaled"/> or <see cref="RunOutcome.Error"/>); null while it still runs.</summary>
    public RunOutcome? Outcome { get; init; }

    /// <summary>Its exit status (0..255) when it exited, else null.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The signal that ended it, else null.</summary>
    public int? Signal { get; init; }

    /// <summary>
    /// Instructions retired while it was the running process, the kernel's work on its behalf included (its
    /// system calls, the interrupts taken while it ran, its exit up to the switch away); the sum over the
    /// processes is the run's total.
    /// </summary>
    public required long Instructions { get; init; }

    /// <summary>System calls it entered.</summary>
    public required long Syscalls { get; init; }

    /// <summary>Its system calls by name (Linux's x86-64 names; "syscall_N" for a number without one), with counts.</summary>
    public required IReadOnlyDictionary<string, long> SyscallsByName { get; init; }
}
