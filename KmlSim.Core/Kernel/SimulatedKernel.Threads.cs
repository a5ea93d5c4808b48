using KmlSim.Execution;
using KmlSim.Kernel.Boot;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel;

/// <summary>
/// Threads (Linux's thread groups): clone with CLONE_THREAD makes a task that shares its creator's address
/// space, signal handlers and (with CLONE_FILES) descriptors and runs on the stack and TLS it was given, in the
/// creator's ring: a /trusted process's threads run in ring 0 under KML, with the same entry path, IST and GS
/// rules as its first thread. exit ends one thread (its clear-child-tid word is zeroed and its futex woken,
/// its robust futexes are marked OWNER_DIED); exit_group, a fatal signal or the last thread's exit ends the
/// process. Signals sent to a process go to one of its threads that does not block them; tkill and tgkill aim
/// at one thread.
/// </summary>
internal sealed partial class SimulatedKernel
{
    private const ulong CloneSysvsem = 0x40000;
    private const uint FutexWaiters = 0x8000_0000, FutexOwnerDied = 0x4000_0000, FutexTidMask = 0x3FFF_FFFF;
    private const int RobustListLimit = 2048; // ROBUST_LIST_LIMIT: how many entries exit walks at most

    /// <summary>
    /// The flags of a clone that makes a thread: CLONE_THREAD needs CLONE_SIGHAND, which needs CLONE_VM
    /// (kernel/fork.c copy_process); CLONE_FS, CLONE_FILES, CLONE_SYSVSEM and the tid and TLS flags are honoured
    /// (CLONE_SYSVSEM trivially: there are no System V semaphores).
    /// </summary>
    private long CreateThread(KernelTask creator, ulong flags, ulong newStack, ulong parentTid, ulong childTid, ulong tls)
    {
        if ((flags & CloneSighand) == 0 || (flags & CloneVm) == 0)
        {
            return -Errno.EINVAL;
        }

        int tid = nextPid;
        var thread = new GuestProcess(creator.Process, tid, shareFiles: (flags & CloneFiles) != 0, shareHandlers: true);
        if (NewTask(thread, creator.Space) is not { } child)
        {
            return -Errno.EAGAIN; // (Linux: the task limit, RLIMIT_NPROC or pid_max)
        }

        child.Group = creator.Group;
        creator.Group.Live.Add(child);
        child.Trap = creator.Trap; // (copy_thread copies the thread struct)
        Cpu cpu = hardware.Cpu;
        ulong stackDelta = CopyKernelStack(creator, child);
        child.ForkFrom(cpu, stackDelta, ChildUserStack(creator, newStack), (flags & CloneSetTls) != 0 ? tls : cpu.FsBase);
        if ((flags & CloneChildSetTid) != 0 && childTid != 0)
        {
            thread.User.TryWrite32(childTid, (uint)tid);
        }

        if ((flags & CloneChildClearTid) != 0)
        {
            thread.ClearChildTid = childTid;
        }

        if ((flags & CloneParentSetTid) != 0 && parentTid != 0)
        {
            creator.Process.User.TryWrite32(parentTid, (uint)tid);
        }

        child.SliceLeft = TimeSliceTicks;
        runQueue.Enqueue(child);
        return tid;
    }

    /// <summary>
    /// clone3: struct clone_args (flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls,
    /// set_tid, set_tid_size, cgroup) of <paramref name="size"/> bytes, at least the first 64 (CLONE_ARGS_SIZE_VER0).
    /// The stack is given as its lowest address and size. CLONE_PIDFD, set_tid and CLONE_INTO_CGROUP are not
    /// modelled: EINVAL, as for an unprivileged caller's set_tid.
    /// </summary>
    internal long Clone3(KernelTask task, ulong address, ulong size)
    {
        const int versionZeroSize = 64;
        const ulong clonePidfd = 0x1000, cloneIntoCgroup = 0x2_0000_0000;
        if (size < versionZeroSize || size > 4096)
        {
            return -Errno.EINVAL;
        }

        var fields = new ulong[8];
        for (int i = 0; i < fields.Length; i++)
        {
            if (!task.Process.User.TryRead64(address + ((ulong)i * 8), out fields[i]))
            {
                return -Errno.EFAULT;
            }
        }

        (ulong flags, ulong childTid, ulong parentTid, ulong exitSignal, ulong stack, ulong stackSize, ulong tls) =
            (fields[0], fields[2], fields[3], fields[4], fields[5], fields[6], fields[7]);
        ulong setTidSize = size >= 80 && task.Process.User.TryRead64(address + 72, out ulong n) ? n : 0;
        if ((flags & (0xFF | clonePidfd | cloneIntoCgroup)) != 0 || exitSignal > MaxSignal || setTidSize != 0 || (stack == 0) != (stackSize == 0))
        {
            return -Errno.EINVAL;
        }

        return Clone(task, flags | exitSignal, stack == 0 ? 0 : stack + stackSize, parentTid, childTid, tls);
    }

    /// <summary>Gives <paramref name="child"/> a copy of <paramref name="parent"/>'s kernel stack; returns how far the child's lies from the parent's.</summary>
    private ulong CopyKernelStack(KernelTask parent, KernelTask child)
    {
        ulong parentBottom = KernelLayout.KernelStackTop(parent.Slot) - KernelLayout.ThreadSize;
        ulong childBottom = KernelLayout.KernelStackTop(child.Slot) - KernelLayout.ThreadSize;
        var stack = new byte[KernelLayout.ThreadSize];
        kernelSpace.Read(parentBottom, stack);
        kernelSpace.Write(childBottom, stack);
        WriteThreadFlags(child, ReadThreadFlags(parent) & (1u << KernelLayout.TifKernelModeUser));
        return childBottom - parentBottom;
    }

    /// <summary>
    /// The user RSP a clone child returns with: the caller's, or <paramref name="newStack"/>. A KML process
    /// entered by a call, so its return address is on its stack: on a new stack the child finds a copy of it
    /// just below <paramref name="newStack"/>, and its RET leaves RSP = <paramref name="newStack"/>.
    /// </summary>
    private ulong ChildUserStack(KernelTask parent, ulong newStack)
    {
        ulong oldRsp = ReadKernel64(KernelLayout.PerCpu + KernelLayout.PdaOldRsp);
        if (newStack == 0)
        {
            return oldRsp;
        }

        GuestProcess p = parent.Process;
        if (p.KernelModeUser && p.User.TryRead64(oldRsp, out ulong returnAddress) && p.User.TryWrite64(newStack - 8, returnAddress))
        {
            return newStack - 8;
        }

        return newStack;
    }

    /// <summary>A thread called exit while others of its process run: it ends alone (see the class comment).</summary>
    private void ThreadEnded(KernelTask task)
    {
        ReleaseThread(task);
        ThreadGroup group = task.Group;
        group.Live.Remove(task);
        group.EndedSwitches = Add(group.EndedSwitches, task.Switches);
        LeaveFutexQueue(task);
        if (task == group.Leader)
        {
            task.ThreadExited = true; // parked until the process ends: it carries the pid and the wait status
            task.State = TaskState.Sleeping;
        }
        else
        {
            Reap(task, releaseTables: false);
        }
    }

    /// <summary>
    /// The process of <paramref name="task"/> ends (exit_group, a fatal signal, an error, or its last thread's
    /// exit): its other threads stop where they are, and the first thread takes the ending; returns that thread.
    /// </summary>
    private KernelTask EndThreadGroup(KernelTask task)
    {
        ThreadGroup group = task.Group;
        KernelTask leader = group.Leader;
        foreach (KernelTask other in group.Live.ToArray())
        {
            LeaveFutexQueue(other);
            if (other != leader && other != task)
            {
                Reap(other, releaseTables: false);
            }
        }

        group.Live.Clear();
        if (task != leader)
        {
            if (!(task.Process.ExitsThreadOnly && leader.ThreadExited))
            {
                leader.Process.EndAs(task.Process); // (after the threads all called exit, the first thread's own status stands)
            }

            Reap(task, releaseTables: false);
        }

        leader.ThreadExited = false;
        return leader;
    }

    /// <summary>execve's de_thread: every thread of the caller's process but the caller (its first thread) ends at once.</summary>
    private void EndOtherThreads(KernelTask task)
    {
        foreach (KernelTask other in task.Group.Live.ToArray())
        {
            if (other != task)
            {
                task.Group.Live.Remove(other);
                Reap(other, releaseTables: false);
            }
        }
    }

    /// <summary>
    /// Linux's exit_robust_list and mm_release for a thread that ends while its process lives on: each robust
    /// futex it still holds gets FUTEX_OWNER_DIED (and one waiter woken), and its clear-child-tid word is zeroed
    /// with one waiter woken (what pthread_join waits for).
    /// </summary>
    private void ReleaseThread(KernelTask task)
    {
        GuestProcess p = task.Process;
        if (p.RobustList != 0 && p.User.TryRead64(p.RobustList, out ulong entry) && p.User.TryRead64(p.RobustList + 8, out ulong offset)
            && p.User.TryRead64(p.RobustList + 16, out ulong pending))
        {
            for (int n = 0; n < RobustListLimit && (entry & ~1UL) != p.RobustList && entry != 0; n++)
            {
                ulong next = p.User.TryRead64(entry & ~1UL, out ulong following) ? following : 0;
                if ((entry & ~1UL) != pending)
                {
                    MarkOwnerDied(p, (entry & ~1UL) + offset);
                }

                entry = next;
            }

            if (pending != 0)
            {
                MarkOwnerDied(p, (pending & ~1UL) + offset);
            }
        }

        if (p.ClearChildTid != 0 && p.User.TryWrite32(p.ClearChildTid, 0))
        {
            WakeFutex(new FutexKey(p.Memory, p.ClearChildTid), 1, uint.MaxValue);
        }

        p.ClearChildTid = 0;
        p.RobustList = 0;
    }

    /// <summary>handle_futex_death: a robust futex word the dead thread owns.</summary>
    private void MarkOwnerDied(GuestProcess p, ulong address)
    {
        if ((address & 3) != 0 || !p.User.TryRead32(address, out uint value) || (value & FutexTidMask) != (uint)p.Tid)
        {
            return;
        }

        p.User.TryWrite32(address, (value & FutexWaiters) | FutexOwnerDied);
        if ((value & FutexWaiters) != 0)
        {
            WakeFutex(new FutexKey(p.Memory, address), 1, uint.MaxValue);
        }
    }

    /// <summary>The thread a process-directed signal goes to: the first thread when it does not block it, else the first that does not, else the first live one.</summary>
    private static KernelTask ChooseThread(ThreadGroup group, int signal)
    {
        ulong bit = Bit(signal);
        KernelTask? fallback = null;
        foreach (KernelTask t in group.Live)
        {
            if ((t.Process.BlockedSignals & bit) == 0)
            {
                return t;
            }

            fallback ??= t;
        }

        return fallback ?? group.Leader;
    }

    /// <summary>tkill and tgkill: a signal for one thread (<paramref name="tgid"/> -1: any process).</summary>
    internal long KillThread(KernelTask sender, int tgid, int tid, int signal, int code)
    {
        if (signal is < 0 or > MaxSignal || tid <= 0 || tgid is 0 or < -1)
        {
            return -Errno.EINVAL;
        }

        foreach (KernelTask t in tasks)
        {
            if (t.Process.Tid == tid && (tgid == -1 || t.Process.Pid == tgid) && !t.ThreadExited && t.State is TaskState.Runnable or TaskState.Sleeping)
            {
                if (signal != 0)
                {
                    PostSignal(t, signal, new SignalInfo(code, sender.Process.Pid));
                }

                return 0;
            }
        }

        return -Errno.ESRCH;
    }

    /// <summary>The context switches of every thread of <paramref name="group"/>, ended ones included (RUSAGE_SELF).</summary>
    private static (long Voluntary, long Involuntary) GroupSwitches(ThreadGroup group)
    {
        (long Voluntary, long Involuntary) sum = group.EndedSwitches;
        foreach (KernelTask t in group.Live)
        {
            sum = Add(sum, t.Switches);
        }

        return sum;
    }

    private static (long, long) Add((long Voluntary, long Involuntary) a, (long Voluntary, long Involuntary) b) =>
        (a.Voluntary + b.Voluntary, a.Involuntary + b.Involuntary);
}
