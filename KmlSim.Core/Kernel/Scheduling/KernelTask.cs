using KmlSim.Execution;
using KmlSim.Kernel.Process;
using KmlSim.Memory;

namespace KmlSim.Kernel.Scheduling;

/// <summary>
/// A task of the simulated kernel (one thread of a process, see <see cref="ThreadGroup"/>): its process state, its kernel stack
/// slot, and the CPU context saved when it was switched out. A task is always switched inside a host call
/// of the entry code (see <see cref="SimulatedKernel"/>), so the saved context is the kernel's at that
/// point (RSP in the task's own kernel stack, RIP past the VMCALL), as Linux's switch_to saves it.
/// </summary>
internal sealed class KernelTask(GuestProcess process, int slot, AddressSpace space, Action<KernelTask> wake) : IWaiter
{
    private readonly ulong[] registers = new ulong[16];
    private readonly byte[] floatingPoint = new byte[Cpu.FloatingPointStateBytes];
    private readonly ushort[] selectors = new ushort[6];
    private ulong rip, rflags, fsBase, gsBase, kernelGsBase, syscallCallTarget;
    private uint mxcsr;
    private int cpl;
    private bool gsWritesRefused;

    /// <summary>The thread's view of its process (a thread's own id, mask and pending signals; memory and handlers shared).</summary>
    public GuestProcess Process { get; } = process;

    /// <summary>The threads of the task's process (a new process's task starts its own group).</summary>
    public ThreadGroup Group { get; set; } = null!;

    /// <summary>True for a process's first thread that called exit while other threads run: it never runs again.</summary>
    public bool ThreadExited { get; set; }

    /// <summary>The futex word this task sleeps on (FUTEX_WAIT and friends), or null.</summary>
    public FutexKey? FutexWait { get; set; }

    /// <summary>The FUTEX_WAIT_BITSET mask of the wait in progress (all ones for FUTEX_WAIT).</summary>
    public uint FutexBitset { get; set; }

    /// <summary>Set by a futex wake (or a PI hand-over) of the wait in progress: the restarted call then returns 0.</summary>
    public bool FutexWoken { get; set; }

    /// <summary>The kernel stack slot (see <see cref="Boot.KernelLayout.KernelStackTop"/>).</summary>
    public int Slot { get; } = slot;

    /// <summary>The task's page tables (execve replaces them).</summary>
    public AddressSpace Space { get; set; } = space;

    /// <summary>Where the task is in its life.</summary>
    public TaskState State { get; set; } = TaskState.Runnable;

    /// <summary>True while the task sleeps inside a system call that runs again when it is woken.</summary>
    public bool RestartPending { get; set; }

    /// <summary>Timer ticks left in the task's time slice.</summary>
    public int SliceLeft { get; set; }

    /// <summary>The per-CPU <c>oldrsp</c> of the task (the user RSP of its system call in progress).</summary>
    public ulong OldRsp { get; set; }

    /// <summary>Where the parent waits for its children to change state.</summary>
    public WaitQueue ChildEvents { get; } = new();

    /// <summary>The wait status of a zombie (Linux encoding: exit code &lt;&lt; 8, or the signal number).</summary>
    public int WaitStatus { get; set; }

    /// <summary>The parent task, or null for the first process and for orphans.</summary>
    public KernelTask? Parent { get; set; }

    /// <inheritdoc/>
    public void Wake() => wake(this);

    /// <inheritdoc/>
    public long Deadline { get; set; } = IWaiter.NoDeadline;

    /// <summary>The signals rt_sigtimedwait waits for (they wake the task though blocked); 0 outside that call.</summary>
    public ulong WaitedSignals { get; set; }

    /// <inheritdoc/>
    public ulong? SavedMask { get; set; }

    /// <summary>How the system call a signal just interrupted may restart (decided when its handler is set up).</summary>
    public SyscallRestart Interrupted { get; set; }

    /// <summary>The alternate signal stack (sigaltstack): per thread, kept by fork, cleared by execve.</summary>
    public SignalStack AlternateStack { get; set; }

    /// <summary>The thread's trap state (trapno, err, cr2 of its signal frames), set by each exception that became a signal.</summary>
    public TrapState Trap { get; set; }

    /// <summary>Switches in that followed this task's blocking (nvcsw) and its preemption (nivcsw).</summary>
    public (long Voluntary, long Involuntary) Switches { get; set; }

    /// <summary>
    /// A forked child's context: the parent's CPU context at the fork host call, with RAX = 0 (fork's
    /// result in the child), RSP moved by <paramref name="stackDelta"/> into the child's copy of the kernel
    /// stack, the user RSP of the system call (<paramref name="oldRsp"/>) and the FS base (TLS).
    /// </summary>
    public void ForkFrom(Cpu cpu, ulong stackDelta, ulong oldRsp, ulong fs)
    {
        Save(cpu);
        registers[0] = 0;
        registers[4] += stackDelta;
        OldRsp = oldRsp;
        fsBase = fs;
    }

    /// <summary>Saves the CPU context (switching out).</summary>
    public void Save(Cpu cpu)
    {
        for (int r = 0; r < 16; r++)
        {
            registers[r] = cpu.R[r];
        }

        Array.Copy(cpu.Selectors, selectors, 6);
        (rip, rflags, fsBase, gsBase, kernelGsBase, mxcsr, cpl) = (cpu.Rip, cpu.Rflags, cpu.FsBase, cpu.GsBase, cpu.KernelGsBase, cpu.Mxcsr, cpu.Cpl);
        (syscallCallTarget, gsWritesRefused) = (cpu.SyscallCallTarget, cpu.GsWritesRefused);
        cpu.SaveFloatingPointState(floatingPoint);
    }

    /// <summary>Loads the CPU context (switching in); the caller writes CR3.</summary>
    public void Restore(Cpu cpu)
    {
        for (int r = 0; r < 16; r++)
        {
            cpu.R[r] = registers[r];
        }

        Array.Copy(selectors, cpu.Selectors, 6);
        (cpu.Rip, cpu.Rflags, cpu.FsBase, cpu.GsBase, cpu.KernelGsBase, cpu.Cpl) = (rip, rflags, fsBase, gsBase, kernelGsBase, cpl);
        (cpu.SyscallCallTarget, cpu.GsWritesRefused) = (syscallCallTarget, gsWritesRefused);
        cpu.LoadFloatingPointState(floatingPoint, mxcsr);
    }
}
