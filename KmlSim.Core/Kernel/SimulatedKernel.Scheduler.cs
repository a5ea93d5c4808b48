using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Kernel.Boot;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;
using KmlSim.Memory;

namespace KmlSim.Kernel;

/// <summary>
/// The scheduler: round robin over runnable tasks with a time slice counted in timer ticks. A tick that
/// finds the slice used up while another task waits sets TIF_NEED_RESCHED; the entry code's exit path
/// then takes the slow path and the exit work switches tasks, for a ring-0 process as for any other (so a
/// process that never makes a system call is still preempted). A switch happens inside a host call:
/// the outgoing task's CPU context is saved there and the incoming one's restored, CR3 is written (the
/// K8 has no address-space tags, so the TLB is flushed), and the per-CPU area and TSS.RSP0 name the
/// incoming task's kernel stack.
/// </summary>
internal sealed partial class SimulatedKernel
{
    /// <summary>
    /// Ticks in a time slice: 10 ms. (Linux 2.6 gives a nice-0 task 100 ms; a shorter slice keeps the
    /// preemption tests short and does not change what the tests show.)
    /// </summary>
    public const int TimeSliceTicks = 10;

    /// <summary>Task slots: each has its kernel stack (see <see cref="KernelLayout.KernelStackTop"/>); a reaped task's slot is used again.</summary>
    private const int MaxTasks = 64;
    private const int Eintr = 4;
    private readonly List<KernelTask> tasks = new();
    private readonly KernelTask?[] slots = new KernelTask?[MaxTasks];
    private readonly Queue<KernelTask> runQueue = new();
    private readonly List<AddressSpace> tablesToRelease = new();
    private KernelTask? first;
    private ProcessStop? machineStop;
    private bool rescheduleNow;
    private int nextPid = ProcessIdentity.ProcessId;
    private long switchedInAt;

    /// <summary>System calls made by all processes.</summary>
    public long Syscalls { get; private set; }

    /// <summary>Task switches.</summary>
    public long ContextSwitches { get; private set; }

    /// <summary>A task in a free slot for <paramref name="process"/>; null when all <see cref="MaxTasks"/> slots hold live or zombie tasks.</summary>
    private KernelTask? NewTask(GuestProcess process, AddressSpace space)
    {
        int slot = Array.IndexOf(slots, null);
        if (slot < 0)
        {
            return null;
        }

        ulong top = KernelLayout.KernelStackTop(slot);
        if (kernelSpace.FrameOf(top - KernelLayout.ThreadSize) is null)
        {
            MapKernel(top - KernelLayout.ThreadSize, KernelLayout.ThreadSize, PageFlags.Writable | PageFlags.NoExecute);
        }

        var task = new KernelTask(process, slot, space, Wake);
        process.Waiter = task;
        tasks.Add(task);
        slots[slot] = task;
        nextPid++;
        return task;
    }

    /// <summary>
    /// A task leaves the table (reaped by wait4, or ended with nobody to reap it): its slot is free again
    /// and its page tables are released, after the switch away when it is the task still running.
    /// </summary>
    private void Reap(KernelTask task)
    {
        task.State = TaskState.Dead;
        tasks.Remove(task);
        slots[task.Slot] = null;
        if (task == current)
        {
            tablesToRelease.Add(task.Space);
        }
        else
        {
            task.Space.ReleaseTables();
        }
    }

    /// <summary>Adds the instructions retired since the last switch to the running process's count.</summary>
    private void ChargeInstructions()
    {
        long now = hardware.Cpu.InstructionsRetired;
        if (current is not null)
        {
            current.Process.Instructions += now - switchedInAt;
        }

        switchedInAt = now;
    }

    private void Wake(KernelTask task)
    {
        if (task.State == TaskState.Sleeping)
        {
            task.State = TaskState.Runnable;
            runQueue.Enqueue(task);
        }
    }

    private void Tick(KernelTask task)
    {
        Ticks++;
        if (--task.SliceLeft <= 0 && runQueue.Count > 0)
        {
            WriteThreadFlags(task, ReadThreadFlags(task) | (1u << KernelLayout.TifNeedResched));
        }
    }

    /// <summary>Marks <paramref name="signal"/> pending for <paramref name="task"/>, waking it if it sleeps (its call then fails with EINTR).</summary>
    private void PostSignal(KernelTask task, int signal)
    {
        task.Process.PendingSignals |= 1UL << (signal - 1);
        WriteThreadFlags(task, ReadThreadFlags(task) | (1u << KernelLayout.TifSigPending));
        Wake(task);
    }

    /// <summary>
    /// Picks the next task and switches to it (from inside a host call). The current task, if still
    /// runnable, goes to the back of the queue. A task switched in while a system call of its own is
    /// pending runs that call again first; if it blocks again, the next task is tried.
    /// </summary>
    private void Schedule()
    {
        rescheduleNow = false;
        Cpu cpu = hardware.Cpu;
        KernelTask outgoing = current!;
        if (outgoing.State == TaskState.Runnable && runQueue.Count == 0)
        {
            outgoing.SliceLeft = TimeSliceTicks;
            return;
        }

        if (outgoing.State == TaskState.Runnable)
        {
            runQueue.Enqueue(outgoing);
        }

        outgoing.Save(cpu);
        outgoing.OldRsp = ReadKernel64(KernelLayout.PerCpu + KernelLayout.PdaOldRsp);
        while (true)
        {
            if (!runQueue.TryDequeue(out KernelTask? next))
            {
                // Nothing can run: every process has ended, or the rest sleep with nothing left to wake them.
                machineStop = first!.Process.Ending
                    ?? new ProcessStop(RunOutcome.Error, Message: "deadlock: every process sleeps and nothing can wake them");
                cpu.RequestStop();
                return;
            }

            if (next.State != TaskState.Runnable)
            {
                continue; // a stale queue entry
            }

            SwitchTo(cpu, next);
            if (!next.RestartPending)
            {
                return;
            }

            next.RestartPending = false;
            if (next.Process.PendingSignals != 0)
            {
                // The exit path delivers the signal; a write that had written some bytes returns their count (pipe_write).
                long written = next.Process.BlockedWriteProgress;
                next.Process.BlockedWriteProgress = 0;
                cpu.SetRegister(Gpr.Rax, written > 0 ? (ulong)written : unchecked((ulong)-Eintr));
                return;
            }

            SystemCall(next);
            if (next.Process.Ending is not null)
            {
                TaskEnded(next);
            }

            if (next.State == TaskState.Runnable)
            {
                return;
            }

            next.Save(cpu);
        }
    }

    private void SwitchTo(Cpu cpu, KernelTask next)
    {
        if (next != current)
        {
            ContextSwitches++;
            ChargeInstructions();
        }

        next.Restore(cpu);
        cpu.Mmu.Cr3 = next.Space.Cr3;
        foreach (AddressSpace dead in tablesToRelease)
        {
            dead.ReleaseTables(); // (CR3 no longer names them)
        }

        tablesToRelease.Clear();
        ulong stackTop = KernelLayout.KernelStackTop(next.Slot);
        WriteKernel64(KernelLayout.PerCpu + KernelLayout.PdaCurrent, (ulong)next.Process.Pid);
        WriteKernel64(KernelLayout.PerCpu + KernelLayout.PdaOldRsp, next.OldRsp);
        WriteKernel64(KernelLayout.PerCpu + KernelLayout.PdaKernelStack, stackTop);
        WriteKernel64(tssBase + TaskStateSegment.Rsp0Offset, stackTop);
        next.SliceLeft = TimeSliceTicks;
        current = next;
    }

    /// <summary>Runs the system call in the task's registers; a call that blocks leaves the task asleep with the call pending.</summary>
    private void SystemCall(KernelTask task)
    {
        Cpu cpu = hardware.Cpu;
        GuestProcess p = task.Process;
        long copiedBefore = p.User.BytesCopied;
        int number = (int)cpu.GetRegister(Gpr.Rax);
        bool completed;
        if (ProcessCall(task, number) is { } result)
        {
            completed = result != WaitQueue.RestartSyscall;
            if (completed)
            {
                cpu.SetRegister(Gpr.Rax, (ulong)result);
            }
        }
        else
        {
            completed = SyscallDispatcher.Dispatch(p);
            MarkDeliverable(task); // a body may queue a signal for its caller (SIGPIPE caught by a handler)
        }

        if (!completed)
        {
            task.State = TaskState.Sleeping;
            task.RestartPending = true;
            return;
        }

        meter.Charge(number, p.User.BytesCopied - copiedBefore);
    }
}
