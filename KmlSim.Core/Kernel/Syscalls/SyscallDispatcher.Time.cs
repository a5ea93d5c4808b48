using System.Buffers.Binary;
using KmlSim.Isa;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;

namespace KmlSim.Kernel.Syscalls;

/// <summary>
/// Time and randomness: clocks read <see cref="SimulatedClock"/>; getrandom reads the seeded source.
/// nanosleep and clock_nanosleep really sleep: the first run of the call sets the task's deadline and
/// blocks it; the kernel wakes it at the first timer tick at or after the deadline (jiffy resolution, as
/// Linux 2.6.11's timers), or runs the machine idle until then when nothing else can run, and the call,
/// run again, completes. A signal handler interrupts it with EINTR and the time left. Under syscall
/// emulation the lone process lets the time pass at once.
/// </summary>
internal static partial class SyscallDispatcher
{
    private const ulong GetrandomFlags = 0x7; // GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE
    private const ulong MaxRandomBytes = 33_554_431; // Linux caps one getrandom call at 32 MiB - 1
    private const ulong NanosecondsPerSecond = 1_000_000_000;

    internal static long ClockGettime(GuestProcess p, int clock, ulong address)
    {
        ulong elapsed = SimulatedClock.ElapsedNanoseconds(p.Cpu.Timer.Clock.Now);
        ulong? nanoseconds = clock switch
        {
            0 or 5 or 11 => (SimulatedClock.EpochSeconds * NanosecondsPerSecond) + elapsed, // REALTIME, REALTIME_COARSE, TAI
            1 or 4 or 6 or 7 => SimulatedClock.BootNanoseconds + elapsed, // MONOTONIC, _RAW, _COARSE, BOOTTIME
            // PROCESS_CPUTIME_ID (every thread), THREAD_CPUTIME_ID (the caller): the CPU time the kernel has
            // accounted (up to this call); a lone process under syscall emulation has all the time there is.
            2 => p.Waiter is null ? elapsed : SimulatedClock.ElapsedNanoseconds(p.Times.UserCycles + p.Times.SystemCycles),
            3 => p.Waiter is null ? elapsed : SimulatedClock.ElapsedNanoseconds(p.ThreadTimes.UserCycles + p.ThreadTimes.SystemCycles),
            _ => null,
        };
        if (nanoseconds is not { } ns)
        {
            return -Errno.EINVAL;
        }

        return WritePair(p, address, ns / NanosecondsPerSecond, ns % NanosecondsPerSecond) ? 0 : -Errno.EFAULT;
    }

    internal static long Gettimeofday(GuestProcess p, ulong timeAddress, ulong zoneAddress)
    {
        ulong ns = (SimulatedClock.EpochSeconds * NanosecondsPerSecond) + SimulatedClock.ElapsedNanoseconds(p.Cpu.Timer.Clock.Now);
        if (timeAddress != 0 && !WritePair(p, timeAddress, ns / NanosecondsPerSecond, ns % NanosecondsPerSecond / 1000))
        {
            return -Errno.EFAULT;
        }

        return zoneAddress == 0 || p.User.TryWrite64(zoneAddress, 0) ? 0 : -Errno.EFAULT; // struct timezone: two ints, both 0 (UTC)
    }

    internal static long Time(GuestProcess p, ulong address)
    {
        ulong seconds = SimulatedClock.EpochSeconds + (SimulatedClock.ElapsedNanoseconds(p.Cpu.Timer.Clock.Now) / NanosecondsPerSecond);
        return address == 0 || p.User.TryWrite64(address, seconds) ? (long)seconds : -Errno.EFAULT;
    }

    internal const int TimerAbsoluteTime = 1; // TIMER_ABSTIME

    /// <summary>nanosleep: a relative sleep on CLOCK_MONOTONIC.</summary>
    internal static long Nanosleep(GuestProcess p, ulong request) => ClockNanosleep(p, 1, 0, request);

    internal static long ClockNanosleep(GuestProcess p, int clock, int flags, ulong request)
    {
        long now = p.Cpu.Timer.Clock.Now;
        if (p.Waiter is { Deadline: not IWaiter.NoDeadline } sleeper)
        {
            return now >= sleeper.Deadline ? 0 : WaitQueue.RestartSyscall; // woken early (a stale wake-up): sleep on
        }

        ulong? origin = clock switch
        {
            0 or 11 => SimulatedClock.EpochSeconds * NanosecondsPerSecond, // REALTIME, TAI
            1 or 7 => SimulatedClock.BootNanoseconds, // MONOTONIC, BOOTTIME
            _ => null, // the CPU-time clocks and the coarse ones cannot be slept on here (Linux: EINVAL for most)
        };
        if (origin is null)
        {
            return -Errno.EINVAL;
        }

        if (!p.User.TryRead64(request, out ulong seconds) || !p.User.TryRead64(request + 8, out ulong nanoseconds))
        {
            return -Errno.EFAULT;
        }

        if ((long)seconds < 0 || nanoseconds >= NanosecondsPerSecond)
        {
            return -Errno.EINVAL;
        }

        ulong requested = SimulatedClock.SpanNanoseconds(seconds, nanoseconds);
        long deadline = (flags & TimerAbsoluteTime) == 0 ? SimulatedClock.DeadlineAfter(now, requested)
            : SimulatedClock.DeadlineAt(requested, origin.Value);
        if (deadline <= now)
        {
            return 0;
        }

        if (deadline == SimulatedClock.Never)
        {
            return Block(p, [], "a sleep past the clock's end"); // until a signal
        }

        if (p.Waiter is not { } waiter)
        {
            p.Cpu.Timer.Clock.IdleUntil(deadline);
            return 0;
        }

        waiter.Deadline = deadline;
        return WaitQueue.RestartSyscall;
    }

    /// <summary>
    /// The result of nanosleep or a relative clock_nanosleep that a signal interrupts: -EINTR, and the time left
    /// (until <paramref name="deadline"/>) stored in the call's <paramref name="remainder"/> argument when it has
    /// one (-EFAULT when that cannot be written).
    /// </summary>
    internal static long SleepInterrupted(GuestProcess p, ulong remainder, long deadline)
    {
        var cpu = p.Cpu;
        if (remainder != 0 && deadline != IWaiter.NoDeadline)
        {
            ulong left = SimulatedClock.ElapsedNanoseconds(Math.Max(deadline - cpu.Timer.Clock.Now, 0));
            if (!WritePair(p, remainder, left / NanosecondsPerSecond, left % NanosecondsPerSecond))
            {
                return -Errno.EFAULT;
            }
        }

        return -Errno.EINTR;
    }

    internal static long Getrandom(GuestProcess p, ulong buffer, ulong length, uint flags)
    {
        if ((flags & ~GetrandomFlags) != 0)
        {
            return -Errno.EINVAL;
        }

        length = Math.Min(length, MaxRandomBytes);
        var chunk = new byte[(int)Math.Min(length, CopyChunk)];
        for (ulong done = 0; done < length; done += (ulong)chunk.Length)
        {
            int n = (int)Math.Min(length - done, (ulong)chunk.Length);
            p.Random.NextBytes(chunk.AsSpan(0, n));
            if (!p.User.TryWrite(buffer + done, chunk.AsSpan(0, n)))
            {
                return done > 0 ? (long)done : -Errno.EFAULT;
            }
        }

        return (long)length;
    }

    /// <summary>Writes two 64-bit words (timespec, timeval, timezone).</summary>
    private static bool WritePair(GuestProcess p, ulong address, ulong first, ulong second)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, first);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], second);
        return p.User.TryWrite(address, bytes);
    }
}
