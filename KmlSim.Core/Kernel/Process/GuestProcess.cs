using KmlSim.Execution;
using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel.Process;

/// <summary>
/// One simulated process in syscall-emulation mode: its CPU and memory, the standard streams (stdin fed
/// by the host, stdout and stderr captured), the seeded random source behind AT_RANDOM and getrandom,
/// its resource limits, and how it ended.
/// </summary>
internal sealed class GuestProcess
{
    private readonly byte[] stdin;
    private int stdinPosition;

    /// <summary>Creates the process state over a CPU and memory that the loader has filled.</summary>
    public GuestProcess(Cpu cpu, ProcessMemory memory, string executablePath, byte[] stdin, int seed)
    {
        Cpu = cpu;
        Memory = memory;
        User = new UserMemory(cpu.Mmu);
        ExecutablePath = executablePath;
        this.stdin = stdin;
        Random = new Random(seed);
    }

    /// <summary>The CPU the process runs on.</summary>
    public Cpu Cpu { get; }

    /// <summary>Meters the host-side system call bodies (the timing model, or nothing in functional runs).</summary>
    public Observation.IKernelWorkMeter KernelWork { get; set; } = Observation.IKernelWorkMeter.None;

    /// <summary>The process's address space.</summary>
    public ProcessMemory Memory { get; }

    /// <summary>Access to guest memory with the process's permissions.</summary>
    public UserMemory User { get; }

    /// <summary>What /proc/self/exe names.</summary>
    public string ExecutablePath { get; }

    /// <summary>The seeded source of AT_RANDOM and getrandom bytes.</summary>
    public Random Random { get; }

    /// <summary>Captured standard output (fd 1).</summary>
    public MemoryStream Stdout { get; } = new();

    /// <summary>Captured standard error (fd 2).</summary>
    public MemoryStream Stderr { get; } = new();

    /// <summary>Resource limits by RLIMIT_* number: (soft, hard).</summary>
    public ResourceLimits Limits { get; } = new();

    /// <summary>The address set_tid_address registered (cleared on thread exit once threads exist).</summary>
    public ulong ClearChildTid { get; set; }

    /// <summary>System calls made.</summary>
    public long SyscallCount { get; set; }

    /// <summary>Calls answered ENOSYS because they are not implemented, by name.</summary>
    public Dictionary<string, long> UnimplementedSyscalls { get; } = new();

    /// <summary>Set when the process called exit or exit_group: the low 8 bits of its status.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>How the process ended, once it has (exit, a fatal signal, or a state it cannot leave).</summary>
    public ProcessStop? Ending { get; private set; }

    /// <summary>Records exit or exit_group.</summary>
    public void Exit(long status)
    {
        ExitCode = (int)(status & 0xFF);
        Ending = new ProcessStop(RunOutcome.Exited);
    }

    /// <summary>Ends the process by a signal.</summary>
    public void Kill(int signal, string message) => Ending = new ProcessStop(RunOutcome.Signaled, signal, message);

    /// <summary>Ends the run because the process can never continue (for example it waits for a thread that does not exist).</summary>
    public void Fail(string message) => Ending = new ProcessStop(RunOutcome.Error, Message: message);

    /// <summary>Reads host-fed standard input; 0 at its end.</summary>
    public int ReadStdin(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, stdin.Length - stdinPosition);
        stdin.AsSpan(stdinPosition, n).CopyTo(destination);
        stdinPosition += n;
        return n;
    }
}
