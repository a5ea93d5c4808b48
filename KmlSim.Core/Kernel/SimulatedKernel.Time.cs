using System.Buffers.Binary;
using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;
using KmlSim.Observation;

namespace KmlSim.Kernel;

/// <summary>
/// Time in the kernel: sleeping tasks' deadlines (checked at every timer tick, so a sleep ends at the first
/// tick at or after its deadline, as with Linux 2.6.11's jiffy timers), the idle machine (when no task can
/// run but one sleeps until a deadline, the clock skips to the tick that wakes it, as a halted CPU's does:
/// the skipped time is idle time, neither user nor system), and the CPU time of each process: at every host
/// call and every switch the user and system cycles since the last look (<see cref="ICpuTimeSource"/>: the
/// timing model's accounts, or retired instructions split by address half) go to the process that ran, for
/// getrusage, times, wait4 and SIGCHLD.
/// </summary>
internal sealed partial class SimulatedKernel
{
    private const int RusageSelf = 0, RusageChildren = -1, RusageThread = 1;
    private const int TimevalPairBytes = 32;
    private long accountedUser, accountedSystem;

    /// <summary>Gives the CPU time since the last call to <paramref name="task"/>'s process.</summary>
    private void AccountCpuTime(KernelTask task)
    {
        long user = cpuTime.UserCycles, system = cpuTime.SystemCycles;
        ProcessTimes times = task.Process.Times, own = task.Process.ThreadTimes;
        times.UserCycles += user - accountedUser;
        times.SystemCycles += system - accountedSystem;
        own.UserCycles += user - accountedUser;
        own.SystemCycles += system - accountedSystem;
        (accountedUser, accountedSystem) = (user, system);
    }

    /// <summary>Wakes the sleepers whose deadline has come (at a timer tick).</summary>
    private void ExpireTimers()
    {
        long now = hardware.Cpu.Timer.Clock.Now;
        foreach (KernelTask t in tasks)
        {
            if (t.State == TaskState.Sleeping && t.Deadline <= now)
            {
                Wake(t);
            }
        }
    }

    /// <summary>
    /// Nothing can run: let the clock run idle to the timer tick at or after the earliest sleeper's deadline
    /// and wake it. False when no task sleeps with a deadline (nothing could ever wake one).
    /// </summary>
    private bool IdleUntilDeadline()
    {
        long earliest = IWaiter.NoDeadline;
        foreach (KernelTask t in tasks)
        {
            if (t.State == TaskState.Sleeping)
            {
                earliest = Math.Min(earliest, t.Deadline);
            }
        }

        if (earliest == IWaiter.NoDeadline)
        {
            return false;
        }

        LocalTimer timer = hardware.Cpu.Timer;
        long tick = timer.NextExpiry;
        if (earliest > tick)
        {
            tick += (earliest - tick + timer.Period - 1) / timer.Period * timer.Period;
        }

        // The ticks of the idle loop are not taken one by one: the expiry that wakes the sleeper is left
        // pending and interrupts the woken task (as HLT's wake-up would), the ones before it merge into it.
        timer.Clock.IdleUntil(tick);
        ExpireTimers();
        return true;
    }

    /// <summary>getrusage: RUSAGE_SELF (every thread of the process), RUSAGE_THREAD (the caller) or RUSAGE_CHILDREN.</summary>
    internal long ResourceUsage(KernelTask task, int who, ulong address)
    {
        ProcessTimes times = task.Process.Times, own = task.Process.ThreadTimes;
        return who switch
        {
            RusageSelf => WriteUsage(task.Process, address, times.UserCycles, times.SystemCycles, GroupSwitches(task.Group)),
            RusageThread => WriteUsage(task.Process, address, own.UserCycles, own.SystemCycles, task.Switches),
            RusageChildren => WriteUsage(task.Process, address, times.ChildUserCycles, times.ChildSystemCycles, default),
            _ => -Errno.EINVAL,
        };
    }

    /// <summary>Writes a struct rusage: ru_utime and ru_stime (timevals), ru_nvcsw and ru_nivcsw; the other fields 0.</summary>
    private static long WriteUsage(GuestProcess p, ulong address, long user, long system, (long Voluntary, long Involuntary) switches)
    {
        Span<byte> usage = stackalloc byte[RusageBytes];
        usage.Clear();
        WriteTimeval(usage, user);
        WriteTimeval(usage[16..], system);
        BinaryPrimitives.WriteInt64LittleEndian(usage[(TimevalPairBytes + (12 * 8))..], switches.Voluntary);
        BinaryPrimitives.WriteInt64LittleEndian(usage[(TimevalPairBytes + (13 * 8))..], switches.Involuntary);
        return address == 0 || p.User.TryWrite(address, usage) ? 0 : -Errno.EFAULT;
    }

    private static void WriteTimeval(Span<byte> destination, long cycles)
    {
        ulong microseconds = SimulatedClock.ElapsedNanoseconds(cycles) / 1000;
        BinaryPrimitives.WriteUInt64LittleEndian(destination, microseconds / 1_000_000);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], microseconds % 1_000_000);
    }

    /// <summary>times: the struct tms in USER_HZ ticks; returns the ticks since boot.</summary>
    internal long ProcessorTimes(KernelTask task, ulong address)
    {
        ProcessTimes times = task.Process.Times;
        Span<byte> tms = stackalloc byte[32];
        BinaryPrimitives.WriteInt64LittleEndian(tms, SimulatedClock.UserHzTicks(times.UserCycles));
        BinaryPrimitives.WriteInt64LittleEndian(tms[8..], SimulatedClock.UserHzTicks(times.SystemCycles));
        BinaryPrimitives.WriteInt64LittleEndian(tms[16..], SimulatedClock.UserHzTicks(times.ChildUserCycles));
        BinaryPrimitives.WriteInt64LittleEndian(tms[24..], SimulatedClock.UserHzTicks(times.ChildSystemCycles));
        if (address != 0 && !task.Process.User.TryWrite(address, tms))
        {
            return -Errno.EFAULT;
        }

        ulong sinceBoot = SimulatedClock.BootNanoseconds + SimulatedClock.ElapsedNanoseconds(hardware.Cpu.Timer.Clock.Now);
        return (long)(sinceBoot / (1_000_000_000 / SimulatedClock.TicksPerSecond));
    }

    /// <summary>A parent collects a zombie: the child's times (its own and its collected children's) join the parent's children's times.</summary>
    private static void CollectTimes(GuestProcess parent, GuestProcess child)
    {
        ProcessTimes from = child.Times, to = parent.Times;
        to.ChildUserCycles += from.UserCycles + from.ChildUserCycles;
        to.ChildSystemCycles += from.SystemCycles + from.ChildSystemCycles;
    }
}
