using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Kernel.Boot;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;
using KmlSim.Memory;
using KmlSim.Observation;

namespace KmlSim.Kernel;

/// <summary>
/// The scheduler: round robin over runnable tasks with a time slice counted in timer ticks. A tick that
/// finds the slice used up while another task waits sets TIF_NEED_RESCHED; the entry code's exit path
/// then takes the slow path and the exit work switches tasks, for a ring-0 process as for any other (so a
/// process that never makes a system call is still preempted). A switch happens inside a host call:
/// the outgoing task's CPU context is saved there and the incoming one's restored, CR3 is written (the
/// K8 has no address-space tags, so the TLB is flushed), and the per-CPU area and TSS.RSP0 name the
/// incoming task's kernel stack. When no task can run but one sleeps until a deadline, the machine idles
/// until then (see the time file).
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
        task.Group = new ThreadGroup(task);
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
    private void Reap(KernelTask task, bool releaseTables = true)
    {
        task.State = TaskState.Dead;
        LeaveFutexQueue(task);
        tasks.Remove(task);
        slots[task.Slot] = null;
        if (!releaseTables)
        {
            return; // a thread: its page tables are its process's, released with the first thread
        }

        if (task.Space == current?.Space)
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
            current.Process.GroupLeader.Instructions += now - switchedInAt;
        }

        switchedInAt = now;
    }

    private void Wake(KernelTask task)
    {
        if (task.State == TaskState.Sleeping && !task.ThreadExited)
        {
            task.State = TaskState.Runnable;
            runQueue.Enqueue(task);
        }
    }

    private void Tick(KernelTask task)
    {
        Ticks++;
        ExpireTimers();
        if (--task.SliceLeft <= 0 && runQueue.Count > 0)
        {
            WriteThreadFlags(task, ReadThreadFlags(task) | (1u << KernelLayout.TifNeedResched));
        }
    }

    /// <summary>
    /// Sends <paramref name="signal"/> to <paramref name="task"/>: an ignored signal that is not blocked
    /// (nor awaited by rt_sigtimedwait) is discarded, as Linux's sig_ignored() has it; otherwise it is
    /// pending, and unless blocked it wakes the task (a blocking call then fails with EINTR or restarts).
    /// </summary>
    private void PostSignal(KernelTask task, int signal, SignalInfo info)
    {
        GuestProcess p = task.Process;
        ulong bit = Bit(signal);
        bool held = (p.BlockedSignals & bit) != 0;
        bool awaited = (task.WaitedSignals & bit) != 0;
        if (!held && !awaited && IsIgnored(p, signal))
        {
            return;
        }

        p.PendingSignals |= bit;
        p.PendingSignalInfo[signal] = info;
        if (!held || awaited)
        {
            WriteThreadFlags(task, ReadThreadFlags(task) | (1u << KernelLayout.TifSigPending));
            Wake(task);
        }
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
        AccountCpuTime(outgoing);
        if (outgoing.State == TaskState.Runnable && runQueue.Count == 0)
        {
            outgoing.SliceLeft = TimeSliceTicks;
            return;
        }

        if (outgoing.State == TaskState.Runnable)
        {
            runQueue.Enqueue(outgoing);
        }

        (long voluntary, long involuntary) = outgoing.Switches;
        outgoing.Switches = outgoing.State == TaskState.Runnable ? (voluntary, involuntary + 1) : (voluntary + 1, involuntary);

        outgoing.Save(cpu);
        outgoing.OldRsp = ReadKernel64(KernelLayout.PerCpu + KernelLayout.PdaOldRsp);
        while (true)
        {
            if (!runQueue.TryDequeue(out KernelTask? next))
            {
                if (IdleUntilDeadline())
                {
                    continue;
                }

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
            SystemCall(next); // (a deliverable signal that woke it makes the call end with EINTR if it would block again)
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
        if (cpu.Mmu.Cr3 != next.Space.Cr3)
        {
            cpu.Mmu.Cr3 = next.Space.Cr3; // (threads of one process share it: no flush between them, as Linux's switch_mm)
        }

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
        p.IoTarget = IoTarget.Unspecified;
        SyscallEntry call = SyscallTable.Of((long)cpu.GetRegister(Gpr.Rax));
        meter.BeginSyscall(call.Identity);
        bool completed = SyscallDispatcher.Dispatch(p, call, this, task);
        if (call.KernelBody is null)
        {
            MarkDeliverable(task); // a process body may queue a signal for its caller (SIGPIPE caught by a handler); kernel bodies mark their own
        }

        if (!completed && !InterruptBlockedCall(task, call))
        {
            task.State = TaskState.Sleeping;
            task.RestartPending = true;
            return;
        }

        LeaveFutexQueue(task); // (a futex wait a signal interrupted)
        task.FutexWoken = false;

        if (completed && task.SavedMask is { } saved)
        {
            p.BlockedSignals = saved; // a ppoll or pselect6 that was not interrupted: its mask held only while it waited
            task.SavedMask = null;
        }

        task.Deadline = IWaiter.NoDeadline;
        task.WaitedSignals = 0;
        meter.Charge(call.Identity, p.User.BytesCopied - copiedBefore, p.IoTarget);
    }
}
