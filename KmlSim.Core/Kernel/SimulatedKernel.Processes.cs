using KmlSim.Execution;
using KmlSim.Isa;
using KmlSim.Kernel.Boot;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;
using KmlSim.Memory;

namespace KmlSim.Kernel;

/// <summary>
/// The process system calls that need the task table: fork/vfork/clone (with fork flags), wait4, kill,
/// tkill/tgkill and sched_yield (the signal calls are in the signals file; <see cref="SyscallTable"/> has their
/// rows); and what happens when a task ends (zombie, parent woken, orphans). Identity calls (getpid, getppid,
/// gettid, uid/gid) and exit/exit_group are ordinary bodies in <see cref="SyscallDispatcher"/>.
/// </summary>
internal sealed partial class SimulatedKernel
{
    private const ulong CloneVm = 0x100, CloneFs = 0x200, CloneFiles = 0x400, CloneSighand = 0x800, CloneThread = 0x10000;
    private const ulong CloneSetTls = 0x80000, CloneParentSetTid = 0x100000, CloneChildClearTid = 0x200000, CloneChildSetTid = 0x1000000;
    private const ulong CloneVfork = 0x4000;
    private const int Wnohang = 1;
    private const int RusageBytes = 144;
    private const int MaxSignal = 64;

    internal long Clone(KernelTask task, ulong flags, ulong newStack, ulong parentTid, ulong childTid, ulong tls)
    {
        const ulong shared = CloneVm | CloneFs | CloneFiles | CloneSighand | CloneThread | CloneSysvsem;
        if ((flags & CloneThread) != 0)
        {
            return CreateThread(task, flags, newStack, parentTid, childTid, tls);
        }

        if ((flags & (CloneVm | CloneSighand | CloneFiles)) != 0 && (flags & CloneVfork) == 0)
        {
            // A process sharing memory, handlers or descriptors with its parent without being its thread is
            // not modelled: ENOSYS, counted like any unimplemented call. (vfork, with CLONE_VM or not, copies.)
            return SyscallDispatcher.Unimplemented(task.Process, "clone");
        }

        return Fork(task, flags & ~shared, newStack, parentTid, childTid, tls);
    }

    /// <summary>
    /// fork: a new task with a copy of the address space and of the parent's kernel stack, whose context
    /// is the parent's at this host call with RAX = 0 and RSP moved into its own kernel stack. It returns
    /// through the same entry-code exit as its parent (a vfork child runs like a fork child).
    /// </summary>
    internal long Fork(KernelTask parent, ulong flags, ulong newStack, ulong parentTid, ulong childTid, ulong tls = 0)
    {
        if (Array.IndexOf(slots, null) < 0)
        {
            return -Errno.EAGAIN; // (Linux: the task limit, RLIMIT_NPROC or pid_max)
        }

        Cpu cpu = hardware.Cpu;
        AddressSpace? space = null;
        ProcessMemory memory;
        try
        {
            space = new AddressSpace(hardware.Memory);
            space.ShareKernelHalf(kernelSpace);
            memory = parent.Process.Memory.Fork(cpu, space);
            if ((flags & CloneChildSetTid) != 0 && childTid != 0)
            {
                // The child's copy of the word must be its own before the kernel writes the tid into it.
                memory.TryResolveWriteFault(childTid, out _);
                memory.TryResolveWriteFault(childTid + 3, out _);
            }
        }
        catch (GuestMemoryExhaustedException)
        {
            space?.ReleaseTables();
            return -Errno.ENOMEM;
        }

        int pid = nextPid;
        var process = new GuestProcess(parent.Process, memory, pid);
        KernelTask child = NewTask(process, space)!;
        child.Parent = parent.Group.Leader; // (the parent is the process, whichever of its threads forked)
        child.AlternateStack = parent.AlternateStack;
        child.Trap = parent.Trap; // (the whole thread struct is copied at fork)
        ulong stackDelta = CopyKernelStack(parent, child);
        child.ForkFrom(cpu, stackDelta, ChildUserStack(parent, newStack), (flags & CloneSetTls) != 0 ? tls : cpu.FsBase);
        if ((flags & CloneChildSetTid) != 0 && childTid != 0 && space.IsWritable(childTid) && space.IsWritable(childTid + 3))
        {
            space.Write(childTid, BitConverter.GetBytes(pid));
        }

        if ((flags & CloneChildClearTid) != 0)
        {
            process.ClearChildTid = childTid;
        }

        if ((flags & CloneParentSetTid) != 0 && parentTid != 0)
        {
            parent.Process.User.TryWrite(parentTid, BitConverter.GetBytes(pid));
        }

        child.SliceLeft = TimeSliceTicks;
        runQueue.Enqueue(child);
        return pid;
    }

    internal long Wait4(KernelTask task, int pid, ulong statusAddress, int options, ulong rusageAddress)
    {
        KernelTask? zombie = null;
        bool any = false;
        KernelTask parent = task.Group.Leader; // any thread of the parent process may collect its children
        foreach (KernelTask t in tasks)
        {
            if (t.Parent == parent && t.State != TaskState.Dead && (pid <= 0 || t.Process.Pid == pid))
            {
                any = true;
                if (t.State == TaskState.Zombie)
                {
                    zombie = t;
                    break;
                }
            }
        }

        if (!any)
        {
            return -Errno.ECHILD;
        }

        if (zombie is null)
        {
            return (options & Wnohang) != 0 ? 0 : task.Process.SleepOn(parent.ChildEvents);
        }

        if (statusAddress != 0 && !task.Process.User.TryWrite(statusAddress, BitConverter.GetBytes(zombie.WaitStatus)))
        {
            return -Errno.EFAULT;
        }

        ProcessTimes times = zombie.Process.Times;
        if (rusageAddress != 0 && WriteUsage(task.Process, rusageAddress, times.UserCycles + times.ChildUserCycles, times.SystemCycles + times.ChildSystemCycles, zombie.Switches) != 0)
        {
            return -Errno.EFAULT;
        }

        CollectTimes(task.Process, zombie.Process);
        Reap(zombie);
        return zombie.Process.Pid;
    }

    internal long Kill(KernelTask sender, int pid, int signal, int code)
    {
        if (signal is < 0 or > MaxSignal)
        {
            return -Errno.EINVAL;
        }

        // pid 0 and -1 (the process group, every process) reach every live process in this one-user machine;
        // each process's signal goes to one of its threads.
        bool delivered = false;
        foreach (KernelTask t in tasks.ToArray())
        {
            bool targeted = pid > 0 ? t.Process.Pid == pid : pid is 0 or -1 || -pid == t.Process.Pid;
            if (targeted && t == t.Group.Leader && t.Group.Live.Count > 0 && t.State is TaskState.Runnable or TaskState.Sleeping)
            {
                delivered = true;
                if (signal != 0)
                {
                    PostSignal(ChooseThread(t.Group, signal), signal, new SignalInfo(code, sender.Process.Pid));
                }
            }
        }

        return delivered ? 0 : -Errno.ESRCH;
    }

    internal long Yield()
    {
        rescheduleNow = true;
        return 0;
    }

    /// <summary>
    /// A task's process ended: its clear-child-tid address is dropped (see <see cref="ReleaseAddressSpace"/>),
    /// its descriptors close, its address space is released (exit_mm: the frames now, the page tables when
    /// the task is reaped); it becomes a zombie its parent collects (or is reaped at once with no parent to
    /// collect it), and its children orphans.
    /// </summary>
    private void TaskEnded(KernelTask task)
    {
        if (task.Process.ExitsThreadOnly && task.Group.Live.Count > 1)
        {
            ThreadEnded(task);
            return;
        }

        task = EndThreadGroup(task);
        GuestProcess p = task.Process;
        ProcessStop ending = p.Ending!.Value;
        ReleaseAddressSpace(p);
        p.Files.CloseAll(); // readers of its pipes see end of file, writers EPIPE
        task.WaitStatus = ending.Outcome == RunOutcome.Signaled ? ending.Signal ?? 0 : (p.ExitCode ?? 0) << 8;
        finished.Add(p);
        KernelTask? parent = task.Parent is { State: TaskState.Runnable or TaskState.Sleeping } alive ? alive : null;
        task.State = TaskState.Dead;
        if (parent is not null && NotifyParent(parent, task, ending))
        {
            task.State = TaskState.Zombie;
        }
        else
        {
            Reap(task);
        }

        parent?.ChildEvents.WakeAll(); // (with no zombie kept, a waiting wait4 then finds no child: ECHILD)

        foreach (KernelTask child in tasks.ToArray())
        {
            if (child.Parent == task)
            {
                child.Parent = null;
                if (child.State == TaskState.Zombie)
                {
                    Reap(child);
                }
            }
        }

        if (ending.Outcome == RunOutcome.Error && task == first)
        {
            machineStop = ending;
            hardware.Cpu.RequestStop();
        }
    }

    /// <summary>
    /// Linux's mm_release for a process leaving its address space (its end, or the old image at execve): the
    /// clear-child-tid address is forgotten, and the frames are released. Linux writes 0 there and wakes its
    /// futex only while another task shares the address space (mm_users &gt; 1); a thread that ends while
    /// others run does that (<see cref="ReleaseThread"/>), and here no other task shares it (vfork copies
    /// like fork), so the word, like the rest of the memory, simply goes away.
    /// </summary>
    private static void ReleaseAddressSpace(GuestProcess p)
    {
        p.ClearChildTid = 0;
        p.Memory.Release();
    }
}
