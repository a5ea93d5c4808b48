using KmlSim.Execution;
using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel.Process;

/// <summary>
/// One simulated process in syscall-emulation mode: its CPU and memory, the standard streams (stdin fed
/// by the host, stdout and stderr captured), the seeded random source behind AT_RANDOM and getrandom,
/// its resource limits, and how it ended.
/// </summary>
internal sealed class GuestProcess
{
    private readonly MemoryStream stdin;

    /// <summary>Creates the process state over a CPU and memory that the loader has filled.</summary>
    public GuestProcess(Cpu cpu, ProcessMemory memory, string executablePath, byte[] stdin, int seed)
    {
        Cpu = cpu;
        Memory = memory;
        User = new UserMemory(cpu.Mmu);
        ExecutablePath = executablePath;
        this.stdin = new MemoryStream(stdin, writable: false);
        Random = new Random(seed);
    }

    /// <summary>
    /// fork: a child process over <paramref name="memory"/> (a copy of the parent's) that shares the
    /// parent's standard streams (and stdin's position, as a shared file description does), limits,
    /// executable and random source.
    /// </summary>
    public GuestProcess(GuestProcess parent, ProcessMemory memory, int pid)
    {
        Cpu = parent.Cpu;
        Memory = memory;
        User = parent.User;
        ExecutablePath = parent.ExecutablePath;
        stdin = parent.stdin;
        Random = parent.Random;
        Stdout = parent.Stdout;
        Stderr = parent.Stderr;
        Limits = parent.Limits;
        UnimplementedSyscalls = parent.UnimplementedSyscalls;
        KernelModeUser = parent.KernelModeUser;
        BehindKernelEntry = parent.BehindKernelEntry;
        Pid = pid;
        ParentPid = parent.Pid;
    }

    /// <summary>The process id (also its only thread's id).</summary>
    public int Pid { get; } = ProcessIdentity.ProcessId;

    /// <summary>The parent's process id.</summary>
    public int ParentPid { get; } = ProcessIdentity.ParentProcessId;

    /// <summary>The CPU the process runs on.</summary>
    public Cpu Cpu { get; }

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

    /// <summary>True for a kernel-mode user process (KML, CPL 0): it may not change GS.</summary>
    public bool KernelModeUser { get; set; }

    /// <summary>
    /// True when the process runs behind the simulated kernel's entry code, so that while a system call
    /// body runs, GS.base is the kernel's per-CPU area and the user's GS base waits in KERNEL_GS_BASE.
    /// </summary>
    public bool BehindKernelEntry { get; set; }

    /// <summary>The user's GS base (where it is held while a system call body runs depends on the kernel path).</summary>
    public ulong UserGsBase
    {
        get => BehindKernelEntry ? Cpu.KernelGsBase : Cpu.GsBase;
        set
        {
            if (BehindKernelEntry)
            {
                Cpu.KernelGsBase = value;
            }
            else
            {
                Cpu.GsBase = value;
            }
        }
    }

    /// <summary>The kernel task that sleeps for this process (null under syscall emulation, where nothing could wake it).</summary>
    public IWaiter? Waiter { get; set; }

    /// <summary>
    /// For a system call body that cannot proceed: sleeps on <paramref name="queue"/> and returns the value
    /// the body must return (<see cref="WaitQueue.RestartSyscall"/>); the call runs again when woken.
    /// </summary>
    public long SleepOn(WaitQueue queue)
    {
        if (Waiter is { } waiter)
        {
            queue.Add(waiter);
        }

        return WaitQueue.RestartSyscall;
    }

    /// <summary>Signals pending delivery (bit n-1 for signal n).</summary>
    public ulong PendingSignals { get; set; }

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
    public int ReadStdin(Span<byte> destination) => stdin.Read(destination);
}
