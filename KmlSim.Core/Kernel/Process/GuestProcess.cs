using KmlSim.Execution;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;
using KmlSim.Observation;

namespace KmlSim.Kernel.Process;

/// <summary>
/// One simulated process in syscall-emulation mode: its CPU and memory, its view of the file system
/// (descriptor table, working directory), the standard streams (stdin fed by the host, stdout and stderr
/// captured), the seeded random source behind AT_RANDOM and getrandom, its resource limits, and how it ended.
/// </summary>
internal sealed class GuestProcess
{
    /// <summary>Creates the process state over a CPU and memory that the loader has filled; descriptors 0-2 are the standard streams.</summary>
    public GuestProcess(Cpu cpu, ProcessMemory memory, VirtualFileSystem fileSystem, string executablePath, byte[] stdin, int seed)
    {
        GroupLeader = this;
        Cpu = cpu;
        Memory = memory;
        User = new UserMemory(cpu.Mmu);
        FileSystem = fileSystem;
        WorkingDirectory = fileSystem.Root;
        ExecutablePath = executablePath;
        Random = new Random(seed);
        Files.Install(0, new HostInput(new StreamNode(fileSystem.NextInodeNumber(), NodeKind.Fifo) { LinkCount = 1 }, stdin), closeOnExec: false);
        Files.Install(1, new CapturedOutput(new StreamNode(fileSystem.NextInodeNumber(), NodeKind.Fifo) { LinkCount = 1 }, Stdout), closeOnExec: false);
        Files.Install(2, new CapturedOutput(new StreamNode(fileSystem.NextInodeNumber(), NodeKind.Fifo) { LinkCount = 1 }, Stderr), closeOnExec: false);
    }

    /// <summary>
    /// fork: a child process over <paramref name="memory"/> (a copy of the parent's) with a copy of the
    /// parent's descriptor table (sharing the open file descriptions, so also the captured standard
    /// streams), its working directory, umask, limits, executable and random source.
    /// </summary>
    public GuestProcess(GuestProcess parent, ProcessMemory memory, int pid)
    {
        Cpu = parent.Cpu;
        Memory = memory;
        User = parent.User;
        ExecutablePath = parent.ExecutablePath;
        FileSystem = parent.FileSystem;
        Files = parent.Files.Clone();
        WorkingDirectory = parent.WorkingDirectory;
        FileCreationMask = parent.FileCreationMask;
        Random = parent.Random;
        Stdout = parent.Stdout;
        Stderr = parent.Stderr;
        Limits = parent.Limits;
        UnimplementedSyscalls = parent.UnimplementedSyscalls;
        KernelModeUser = parent.KernelModeUser;
        SignalActions = (SignalAction[])parent.SignalActions.Clone();
        BlockedSignals = parent.BlockedSignals;
        BehindKernelEntry = parent.BehindKernelEntry;
        Pid = pid;
        Tid = pid;
        ParentPid = parent.Pid;
        GroupLeader = this;
    }

    /// <summary>
    /// clone with CLONE_THREAD: a thread of <paramref name="creator"/>'s process with id <paramref name="tid"/>.
    /// It shares the memory, the captured streams, the process's CPU times and counts, the descriptor table when
    /// <paramref name="shareFiles"/> (CLONE_FILES; else a copy) and the signal actions when
    /// <paramref name="shareHandlers"/> (CLONE_SIGHAND); it has its own signal mask (the creator's, copied),
    /// pending signals, CPU time and ending. The working directory and umask are copies (CLONE_FS is taken as
    /// given, but a chdir in one thread is not seen by the others).
    /// </summary>
    public GuestProcess(GuestProcess creator, int tid, bool shareFiles, bool shareHandlers)
    {
        Cpu = creator.Cpu;
        Memory = creator.Memory;
        User = creator.User;
        ExecutablePath = creator.ExecutablePath;
        FileSystem = creator.FileSystem;
        Files = shareFiles ? creator.Files : creator.Files.Clone();
        WorkingDirectory = creator.WorkingDirectory;
        FileCreationMask = creator.FileCreationMask;
        Random = creator.Random;
        Stdout = creator.Stdout;
        Stderr = creator.Stderr;
        Limits = creator.Limits;
        UnimplementedSyscalls = creator.UnimplementedSyscalls;
        SyscallsByNumber = creator.SyscallsByNumber;
        Times = creator.Times;
        KernelModeUser = creator.KernelModeUser;
        SignalActions = shareHandlers ? creator.SignalActions : (SignalAction[])creator.SignalActions.Clone();
        BlockedSignals = creator.BlockedSignals;
        BehindKernelEntry = creator.BehindKernelEntry;
        Pid = creator.Pid;
        Tid = tid;
        ParentPid = creator.ParentPid;
        GroupLeader = creator.GroupLeader;
    }

    /// <summary>The process id (the thread group's id: its first thread's id).</summary>
    public int Pid { get; } = ProcessIdentity.ProcessId;

    /// <summary>This thread's id (gettid); the process id for the process's first thread.</summary>
    public int Tid { get; } = ProcessIdentity.ProcessId;

    /// <summary>The first thread of the process (this one, unless it is a thread clone made): results and instructions are counted there.</summary>
    public GuestProcess GroupLeader { get; }

    /// <summary>The head of the robust futex list set_robust_list registered (0: none), walked when the thread dies.</summary>
    public ulong RobustList { get; set; }

    /// <summary>True when the thread ended by exit (not exit_group): the rest of its process lives on.</summary>
    public bool ExitsThreadOnly { get; private set; }

    /// <summary>This thread's own CPU time (RUSAGE_THREAD, CLOCK_THREAD_CPUTIME_ID); <see cref="Times"/> is the whole process's.</summary>
    public ProcessTimes ThreadTimes { get; } = new();

    /// <summary>The parent's process id.</summary>
    public int ParentPid { get; } = ProcessIdentity.ParentProcessId;

    /// <summary>The CPU the process runs on.</summary>
    public Cpu Cpu { get; }

    /// <summary>Meters the host-side system call bodies (the timing model, or nothing in functional runs).</summary>
    /// <remarks>It is the meter of <see cref="User"/>, which charges the copies through it (a forked child shares both).</remarks>
    public Observation.IKernelWorkMeter KernelWork
    {
        get => User.Meter;
        set => User.Meter = value;
    }

    /// <summary>The process's address space.</summary>
    public ProcessMemory Memory { get; set; }

    /// <summary>Access to guest memory with the process's permissions.</summary>
    public UserMemory User { get; }

    /// <summary>The simulated file system the process sees.</summary>
    public VirtualFileSystem FileSystem { get; }

    /// <summary>The descriptor table.</summary>
    public FileDescriptorTable Files { get; } = new();

    /// <summary>The current working directory.</summary>
    public DirectoryNode WorkingDirectory { get; set; }

    /// <summary>
    /// The task that sleeps when a file call must block (see WaitQueue); null in syscall emulation, where
    /// a lone process could never be woken, so a blocking call ends the run as a deadlock.
    /// </summary>
    public IWaiter? Waiter { get; set; }

    /// <summary>The umask: permission bits cleared from every file and directory the process creates.</summary>
    public uint FileCreationMask { get; set; } = 0x12; // 022, the usual login default

    /// <summary>What /proc/self/exe names.</summary>
    public string ExecutablePath { get; set; }

    /// <summary>The seeded source of AT_RANDOM and getrandom bytes.</summary>
    public Random Random { get; }

    /// <summary>Captured standard output (fd 1).</summary>
    public MemoryStream Stdout { get; } = new();

    /// <summary>Captured standard error (fd 2).</summary>
    public MemoryStream Stderr { get; } = new();

    /// <summary>Resource limits by RLIMIT_* number: (soft, hard).</summary>
    public ResourceLimits Limits { get; } = new();

    /// <summary>The address set_tid_address or CLONE_CHILD_CLEARTID registered (forgotten at exit and execve, see the kernel's mm_release).</summary>
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

    /// <summary>The signal actions by signal number (index 0 unused); fork copies them, exec resets handlers.</summary>
    public SignalAction[] SignalActions { get; private init; } = new SignalAction[65];

    /// <summary>The blocked signals (bit n-1 for signal n).</summary>
    public ulong BlockedSignals { get; set; }

    /// <summary>
    /// Bytes a blocking pipe or socket write has already written before it went to sleep for room: the
    /// call runs again when woken and goes on after them (or returns them when a signal interrupts it).
    /// </summary>
    public long BlockedWriteProgress { get; set; }

    /// <summary>What the current system call read or wrote (set by the transfer, reset before each call), for the work meter.</summary>
    public IoTarget IoTarget { get; set; }

    /// <summary>Signals pending delivery (bit n-1 for signal n).</summary>
    public ulong PendingSignals { get; set; }

    /// <summary>The siginfo of each pending signal, by number (standard signals do not queue: the last send wins).</summary>
    public SignalInfo[] PendingSignalInfo { get; } = new SignalInfo[65];

    /// <summary>The CPU time the process and its collected children used.</summary>
    public ProcessTimes Times { get; } = new();

    /// <summary>System calls made.</summary>
    public long SyscallCount { get; set; }

    /// <summary>System calls entered, by number (counted at entry, once per call however often it sleeps).</summary>
    public Dictionary<long, long> SyscallsByNumber { get; } = new();

    /// <summary>Instructions retired while this process was the running one (its kernel work included).</summary>
    public long Instructions { get; set; }

    /// <summary>Calls answered ENOSYS because they are not implemented, by name.</summary>
    public Dictionary<string, long> UnimplementedSyscalls { get; } = new();

    /// <summary>Set when the process called exit or exit_group: the low 8 bits of its status.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>How the process ended, once it has (exit, a fatal signal, or a state it cannot leave).</summary>
    public ProcessStop? Ending { get; private set; }

    /// <summary>Counts a system call entered (number from RAX).</summary>
    public void CountSyscall(long number) => SyscallsByNumber[number] = SyscallsByNumber.GetValueOrDefault(number) + 1;

    /// <summary>The public record of this process so far.</summary>
    public ProcessResult ToResult()
    {
        long syscalls = 0;
        foreach (long count in SyscallsByNumber.Values)
        {
            syscalls += count;
        }

        return new ProcessResult
        {
            Pid = Pid,
            ParentPid = ParentPid,
            ExecutablePath = ExecutablePath,
            Outcome = Ending?.Outcome,
            ExitCode = Ending?.Outcome == RunOutcome.Exited ? ExitCode : null,
            Signal = Ending?.Outcome == RunOutcome.Signaled ? Ending.Value.Signal : null,
            Instructions = Instructions,
            Syscalls = syscalls,
            SyscallsByName = SyscallTable.ByName(SyscallsByNumber),
        };
    }

    /// <summary>Records exit_group, or with <paramref name="threadOnly"/> exit (the calling thread only).</summary>
    public void Exit(long status, bool threadOnly = false)
    {
        ExitCode = (int)(status & 0xFF);
        ExitsThreadOnly = threadOnly;
        Ending = new ProcessStop(RunOutcome.Exited);
    }

    /// <summary>The process's first thread takes the ending of the process's last thread (exit, a signal or an error).</summary>
    public void EndAs(GuestProcess last)
    {
        ExitCode = last.ExitCode;
        ExitsThreadOnly = false;
        Ending = last.Ending;
    }

    /// <summary>Ends the process by a signal.</summary>
    public void Kill(int signal, string message)
    {
        ExitsThreadOnly = false; // a fatal signal ends every thread
        Ending = new ProcessStop(RunOutcome.Signaled, signal, message);
    }

    /// <summary>Ends the run because the process can never continue (for example it waits for a thread that does not exist).</summary>
    public void Fail(string message)
    {
        ExitsThreadOnly = false;
        Ending = new ProcessStop(RunOutcome.Error, Message: message);
    }
}
