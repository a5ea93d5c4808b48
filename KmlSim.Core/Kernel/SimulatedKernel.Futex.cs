using System.Buffers.Binary;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel;

/// <summary>
/// futex(2) for threads (Linux's kernel/futex): waiters sleep on a word (<see cref="FutexKey"/>) in FIFO
/// order with a bitset, and a woken waiter's restarted call returns 0. WAIT (relative timeout on
/// CLOCK_MONOTONIC), WAIT_BITSET (absolute timeout, CLOCK_REALTIME with FUTEX_CLOCK_REALTIME), WAKE,
/// WAKE_BITSET, REQUEUE, CMP_REQUEUE and WAKE_OP; the priority-inheritance locks LOCK_PI, LOCK_PI2,
/// TRYLOCK_PI and UNLOCK_PI hand the lock to the longest waiter (with one CPU and no priorities there is
/// nothing to inherit). FUTEX_PRIVATE_FLAG changes nothing here (see <see cref="FutexKey"/>).
/// WAIT_REQUEUE_PI and CMP_REQUEUE_PI are ENOSYS.
/// </summary>
internal sealed partial class SimulatedKernel
{
    private const int FutexPrivate = 128, FutexClockRealtime = 256;
    private const int FutexWait = 0, FutexWake = 1, FutexRequeue = 3, FutexCmpRequeue = 4, FutexWakeOp = 5;
    private const int FutexLockPi = 6, FutexUnlockPi = 7, FutexTrylockPi = 8, FutexWaitBitset = 9, FutexWakeBitset = 10, FutexLockPi2 = 13;
    private readonly Dictionary<FutexKey, List<KernelTask>> futexQueues = [];

    /// <summary>futex(uaddr, op, val, timeout or val2, uaddr2, val3).</summary>
    internal long Futex(KernelTask task, ulong address, int operation, uint value, ulong timeout, ulong address2, uint value3)
    {
        int command = operation & ~(FutexPrivate | FutexClockRealtime);
        bool realtime = (operation & FutexClockRealtime) != 0;
        if (realtime && command is not (FutexWaitBitset or FutexLockPi2))
        {
            return -Errno.ENOSYS;
        }

        if ((address & 3) != 0)
        {
            return -Errno.EINVAL;
        }

        var key = new FutexKey(task.Process.Memory, address);
        var key2 = new FutexKey(task.Process.Memory, address2);
        return command switch
        {
            FutexWait => Wait(task, key, value, timeout, absolute: false, realtime: false, uint.MaxValue),
            FutexWaitBitset => value3 == 0 ? -Errno.EINVAL : Wait(task, key, value, timeout, absolute: true, realtime, value3),
            FutexWake => WakeFutex(key, (int)Math.Min(value, int.MaxValue), uint.MaxValue),
            FutexWakeBitset => value3 == 0 ? -Errno.EINVAL : WakeFutex(key, (int)Math.Min(value, int.MaxValue), value3),
            FutexRequeue => Requeue(task, key, key2, value, (uint)timeout, null),
            FutexCmpRequeue => Requeue(task, key, key2, value, (uint)timeout, value3),
            FutexWakeOp => WakeOp(task, key, key2, value, (uint)timeout, value3),
            FutexLockPi => LockPi(task, key, timeout, realtime: true, trylock: false),
            FutexLockPi2 => LockPi(task, key, timeout, realtime, trylock: false),
            FutexTrylockPi => LockPi(task, key, 0, realtime: false, trylock: true),
            FutexUnlockPi => UnlockPi(task, key),
            _ => SyscallDispatcher.Unimplemented(task.Process, "futex"),
        };
    }

    /// <summary>Takes <paramref name="task"/> off the futex queue it sleeps on (its call ended: woken, timed out, interrupted, or the task died).</summary>
    private void LeaveFutexQueue(KernelTask task)
    {
        if (task.FutexWait is { } key && futexQueues.TryGetValue(key, out List<KernelTask>? queue))
        {
            queue.Remove(task);
            if (queue.Count == 0)
            {
                futexQueues.Remove(key);
            }
        }

        task.FutexWait = null;
    }

    /// <summary>Wakes up to <paramref name="count"/> waiters of <paramref name="key"/> whose bitset meets <paramref name="bitset"/>; returns how many.</summary>
    private int WakeFutex(FutexKey key, int count, uint bitset)
    {
        if (!futexQueues.TryGetValue(key, out List<KernelTask>? queue))
        {
            return 0;
        }

        int woken = 0;
        foreach (KernelTask waiter in queue.ToArray())
        {
            if (woken == count)
            {
                break;
            }

            if ((waiter.FutexBitset & bitset) != 0)
            {
                WakeWaiter(waiter);
                woken++;
            }
        }

        return woken;
    }

    private void WakeWaiter(KernelTask waiter)
    {
        LeaveFutexQueue(waiter);
        waiter.FutexWoken = true;
        Wake(waiter);
    }

    private void Enqueue(KernelTask task, FutexKey key, uint bitset)
    {
        if (!futexQueues.TryGetValue(key, out List<KernelTask>? queue))
        {
            queue = [];
            futexQueues[key] = queue;
        }

        queue.Add(task);
        task.FutexWait = key;
        task.FutexBitset = bitset;
    }

    /// <summary>
    /// The state of a waiting call run again: 0 once woken, -ETIMEDOUT once its deadline passed, null on its
    /// first run; otherwise (woken by something else) it sleeps on.
    /// </summary>
    private long? WaitOutcome(KernelTask task)
    {
        if (task.FutexWoken)
        {
            task.FutexWoken = false;
            return 0;
        }

        if (task.FutexWait is null)
        {
            return null;
        }

        if (hardware.Cpu.Timer.Clock.Now >= task.Deadline)
        {
            LeaveFutexQueue(task);
            return -Errno.ETIMEDOUT;
        }

        return WaitQueue.RestartSyscall;
    }

    private long Wait(KernelTask task, FutexKey key, uint expected, ulong timeout, bool absolute, bool realtime, uint bitset)
    {
        if (WaitOutcome(task) is { } outcome)
        {
            return outcome;
        }

        if (!task.Process.User.TryRead32(key.Address, out uint word))
        {
            return -Errno.EFAULT;
        }

        if (word != expected)
        {
            return -Errno.EAGAIN;
        }

        return SleepOnFutex(task, key, bitset, timeout, absolute, realtime);
    }

    /// <summary>Queues <paramref name="task"/> on <paramref name="key"/> until woken or until the timeout (a timespec at <paramref name="timeout"/>, 0: none).</summary>
    private long SleepOnFutex(KernelTask task, FutexKey key, uint bitset, ulong timeout, bool absolute, bool realtime)
    {
        long now = hardware.Cpu.Timer.Clock.Now;
        long deadline = IWaiter.NoDeadline;
        if (timeout != 0)
        {
            GuestProcess p = task.Process;
            if (!p.User.TryRead64(timeout, out ulong seconds) || !p.User.TryRead64(timeout + 8, out ulong nanoseconds))
            {
                return -Errno.EFAULT;
            }

            if ((long)seconds < 0 || nanoseconds >= 1_000_000_000)
            {
                return -Errno.EINVAL;
            }

            ulong span = SimulatedClock.SpanNanoseconds(seconds, nanoseconds);
            deadline = !absolute ? SimulatedClock.DeadlineAfter(now, span)
                : SimulatedClock.DeadlineAt(span, realtime ? SimulatedClock.EpochSeconds * 1_000_000_000 : SimulatedClock.BootNanoseconds);
            if (deadline <= now)
            {
                return -Errno.ETIMEDOUT;
            }
        }

        task.Deadline = deadline;
        Enqueue(task, key, bitset);
        return WaitQueue.RestartSyscall;
    }

    /// <summary>REQUEUE and CMP_REQUEUE: wake <paramref name="wakeCount"/> waiters of <paramref name="key"/>, move up to <paramref name="requeueCount"/> others to <paramref name="key2"/>.</summary>
    private long Requeue(KernelTask task, FutexKey key, FutexKey key2, uint wakeCount, uint requeueCount, uint? expected)
    {
        if ((key2.Address & 3) != 0 || (int)wakeCount < 0 || (int)requeueCount < 0)
        {
            return -Errno.EINVAL;
        }

        if (expected is { } value)
        {
            if (!task.Process.User.TryRead32(key.Address, out uint word))
            {
                return -Errno.EFAULT;
            }

            if (word != value)
            {
                return -Errno.EAGAIN;
            }
        }

        int done = WakeFutex(key, (int)wakeCount, uint.MaxValue);
        if (futexQueues.TryGetValue(key, out List<KernelTask>? queue))
        {
            foreach (KernelTask waiter in queue.Take((int)requeueCount).ToArray())
            {
                LeaveFutexQueue(waiter);
                Enqueue(waiter, key2, waiter.FutexBitset);
                done++;
            }
        }

        return done;
    }

    /// <summary>
    /// WAKE_OP: atomically *uaddr2 = op(*uaddr2, oparg); wake <paramref name="wakeCount"/> on uaddr, and
    /// <paramref name="wakeCount2"/> on uaddr2 when the old value compared with cmparg holds.
    /// </summary>
    private long WakeOp(KernelTask task, FutexKey key, FutexKey key2, uint wakeCount, uint wakeCount2, uint encoded)
    {
        if ((key2.Address & 3) != 0)
        {
            return -Errno.EINVAL;
        }

        int op = (int)((encoded >> 28) & 7);
        int comparison = (int)((encoded >> 24) & 15);
        int operand = SignExtend12(encoded >> 12);
        int comparand = SignExtend12(encoded);
        if ((encoded & 0x8000_0000) != 0)
        {
            operand = 1 << (operand & 31); // FUTEX_OP_OPARG_SHIFT
        }

        GuestProcess p = task.Process;
        if (!p.User.TryRead32(key2.Address, out uint old))
        {
            return -Errno.EFAULT;
        }

        uint result = op switch
        {
            0 => (uint)operand, // FUTEX_OP_SET
            1 => old + (uint)operand, // ADD
            2 => old | (uint)operand, // OR
            3 => old & ~(uint)operand, // ANDN
            4 => old ^ (uint)operand, // XOR
            _ => old,
        };
        if (op > 4)
        {
            return -Errno.ENOSYS;
        }

        if (!p.User.TryWrite32(key2.Address, result))
        {
            return -Errno.EFAULT;
        }

        bool holds = comparison switch
        {
            0 => (int)old == comparand,
            1 => (int)old != comparand,
            2 => (int)old < comparand,
            3 => (int)old <= comparand,
            4 => (int)old > comparand,
            5 => (int)old >= comparand,
            _ => false,
        };
        if (comparison > 5)
        {
            return -Errno.ENOSYS;
        }

        int woken = WakeFutex(key, (int)Math.Min(wakeCount, int.MaxValue), uint.MaxValue);
        return woken + (holds ? WakeFutex(key2, (int)Math.Min(wakeCount2, int.MaxValue), uint.MaxValue) : 0);
    }

    private static int SignExtend12(uint value) => (int)(value << 20) >> 20;

    /// <summary>LOCK_PI, LOCK_PI2 and TRYLOCK_PI: take a free lock word (0 or FUTEX_OWNER_DIED) with the caller's tid, or queue for the owner's hand-over.</summary>
    private long LockPi(KernelTask task, FutexKey key, ulong timeout, bool realtime, bool trylock)
    {
        if (WaitOutcome(task) is { } outcome)
        {
            return outcome; // 0: UnlockPi made the caller the owner
        }

        GuestProcess p = task.Process;
        if (!p.User.TryRead32(key.Address, out uint word))
        {
            return -Errno.EFAULT;
        }

        uint tid = (uint)p.Tid;
        if ((word & FutexTidMask) == tid)
        {
            return -Errno.EDEADLK;
        }

        if ((word & FutexTidMask) == 0)
        {
            return p.User.TryWrite32(key.Address, tid | (word & FutexOwnerDied)) ? 0 : -Errno.EFAULT;
        }

        if (trylock)
        {
            return -Errno.EAGAIN;
        }

        if ((word & FutexWaiters) == 0 && !p.User.TryWrite32(key.Address, word | FutexWaiters))
        {
            return -Errno.EFAULT;
        }

        return SleepOnFutex(task, key, uint.MaxValue, timeout, absolute: true, realtime);
    }

    /// <summary>UNLOCK_PI: the owner gives the lock to its longest waiter (FUTEX_WAITERS kept while others wait), or frees it.</summary>
    private long UnlockPi(KernelTask task, FutexKey key)
    {
        GuestProcess p = task.Process;
        if (!p.User.TryRead32(key.Address, out uint word))
        {
            return -Errno.EFAULT;
        }

        if ((word & FutexTidMask) != (uint)p.Tid)
        {
            return -Errno.EPERM;
        }

        uint next = 0;
        KernelTask? heir = futexQueues.TryGetValue(key, out List<KernelTask>? queue) ? queue[0] : null;
        if (heir is not null)
        {
            next = (uint)heir.Process.Tid | (queue!.Count > 1 ? FutexWaiters : 0);
        }

        if (!p.User.TryWrite32(key.Address, next))
        {
            return -Errno.EFAULT;
        }

        if (heir is not null)
        {
            WakeWaiter(heir);
        }

        return 0;
    }
}
