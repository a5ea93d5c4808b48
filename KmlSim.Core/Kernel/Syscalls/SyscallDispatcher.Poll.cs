using System.Buffers.Binary;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;

namespace KmlSim.Kernel.Syscalls;

/// <summary>
/// poll, ppoll, select and pselect6 over the readiness each open file reports. When nothing is ready the
/// caller sleeps on every polled file's queues until one changes or the timeout passes in simulated time
/// (in syscall emulation nothing can change, so a finite timeout simply expires and an infinite one is a
/// deadlock). ppoll and pselect6 hold their signal mask while they wait.
/// </summary>
internal static partial class SyscallDispatcher
{
    private const int PollFdSize = 8; // int fd; short events; short revents
    private const int MaxPollFds = 1024 * 1024; // RLIMIT_NOFILE's ceiling (nr_open)
    private const int FdSetMax = 1024 * 1024;
    private const PollEvents AlwaysReported = PollEvents.Error | PollEvents.HangUp | PollEvents.Invalid;

    /// <summary>poll; <paramref name="timeoutMs"/> negative means wait forever.</summary>
    internal static long Poll(GuestProcess p, ulong fdsAddress, ulong count, long timeoutMs)
    {
        if (count > MaxPollFds)
        {
            return -Errno.EINVAL;
        }

        var fds = new byte[(int)count * PollFdSize];
        if (!p.User.TryRead(fdsAddress, fds))
        {
            return -Errno.EFAULT;
        }

        int ready = 0;
        var queues = new List<WaitQueue?>();
        for (int i = 0; i < (int)count; i++)
        {
            Span<byte> entry = fds.AsSpan(i * PollFdSize, PollFdSize);
            int fd = BinaryPrimitives.ReadInt32LittleEndian(entry);
            var wanted = (PollEvents)BinaryPrimitives.ReadInt16LittleEndian(entry[4..]);
            PollEvents events = PollEvents.None;
            if (fd >= 0)
            {
                OpenFile? file = p.Files.Get(fd);
                events = file is null ? PollEvents.Invalid : file.Poll() & (wanted | AlwaysReported);
                queues.Add(file?.ReadWaiters);
                queues.Add(file?.WriteWaiters);
            }

            BinaryPrimitives.WriteInt16LittleEndian(entry[6..], (short)events);
            ready += events != PollEvents.None ? 1 : 0;
        }

        if (ready == 0 && timeoutMs != 0 && BlockUntil(p, queues, timeoutMs, "poll") is { } blocked)
        {
            return blocked;
        }

        return p.User.TryWrite(fdsAddress, fds) ? ready : -Errno.EFAULT;
    }

    internal static long Ppoll(GuestProcess p, ulong fdsAddress, ulong count, ulong timeoutAddress, ulong maskAddress, ulong maskSize)
    {
        long? timeout = ReadTimeout(p, timeoutAddress, nanosecondUnits: true);
        return timeout is null ? -Errno.EFAULT : timeout == -Errno.EINVAL ? -Errno.EINVAL
            : WaitMask(p, maskAddress, maskSize) is { } error ? error : Poll(p, fdsAddress, count, timeout.Value);
    }

    /// <summary>
    /// select and pselect6. As on Linux, the timeout is updated to the time left when the call waited
    /// (zero when it timed out); a call that found a descriptor ready at once leaves it as it was.
    /// </summary>
    private static long Select(GuestProcess p, int count, ulong readAddress, ulong writeAddress, ulong exceptAddress, long timeout, ulong timeoutAddress, bool nanosecondUnits)
    {
        if (count is < 0 or > FdSetMax)
        {
            return -Errno.EINVAL;
        }

        int bytes = ((count + 63) / 64) * 8;
        ulong[] addresses = [readAddress, writeAddress, exceptAddress];
        var sets = new byte[3][];
        for (int s = 0; s < 3; s++)
        {
            sets[s] = new byte[bytes];
            if (addresses[s] != 0 && !p.User.TryRead(addresses[s], sets[s]))
            {
                return -Errno.EFAULT;
            }
        }

        PollEvents[] matching = [PollEvents.In | PollEvents.HangUp | PollEvents.Error, PollEvents.Out | PollEvents.Error, PollEvents.Priority];
        var results = new byte[3][];
        var queues = new List<WaitQueue?>();
        int ready = 0;
        for (int s = 0; s < 3; s++)
        {
            results[s] = new byte[bytes];
        }

        for (int fd = 0; fd < count; fd++)
        {
            int index = fd / 8, bit = 1 << (fd % 8);
            bool asked = ((sets[0][index] | sets[1][index] | sets[2][index]) & bit) != 0;
            if (!asked)
            {
                continue;
            }

            if (p.Files.Get(fd) is not { } file)
            {
                return -Errno.EBADF;
            }

            PollEvents events = file.Poll();
            queues.Add(file.ReadWaiters);
            queues.Add(file.WriteWaiters);
            for (int s = 0; s < 3; s++)
            {
                if ((sets[s][index] & bit) != 0 && (events & matching[s]) != 0)
                {
                    results[s][index] |= (byte)bit;
                    ready++;
                }
            }
        }

        if (ready == 0 && timeout != 0 && BlockUntil(p, queues, timeout, "select") is { } blocked)
        {
            return blocked;
        }

        for (int s = 0; s < 3; s++)
        {
            if (addresses[s] != 0 && !p.User.TryWrite(addresses[s], results[s]))
            {
                return -Errno.EFAULT;
            }
        }

        if (timeoutAddress != 0 && (ready == 0 || p.Waiter is { Deadline: not IWaiter.NoDeadline }))
        {
            ulong left = ready == 0 ? 0 : SimulatedClock.ElapsedNanoseconds(Math.Max(p.Waiter!.Deadline - p.Cpu.Timer.Clock.Now, 0));
            if (!WritePair(p, timeoutAddress, left / NanosecondsPerSecond, left % NanosecondsPerSecond / (nanosecondUnits ? 1UL : 1000)))
            {
                return -Errno.EFAULT;
            }
        }

        return ready;
    }

    internal static long SelectWithTimeval(GuestProcess p, int count, ulong readAddress, ulong writeAddress, ulong exceptAddress, ulong timeoutAddress)
    {
        long? timeout = ReadTimeout(p, timeoutAddress, nanosecondUnits: false);
        return timeout is null ? -Errno.EFAULT : timeout == -Errno.EINVAL ? -Errno.EINVAL : Select(p, count, readAddress, writeAddress, exceptAddress, timeout.Value, timeoutAddress, nanosecondUnits: false);
    }

    /// <summary>pselect6; its sixth argument points at { const sigset_t *mask; size_t size }.</summary>
    internal static long Pselect6(GuestProcess p, int count, ulong readAddress, ulong writeAddress, ulong exceptAddress, ulong timeoutAddress, ulong maskArgument)
    {
        long? timeout = ReadTimeout(p, timeoutAddress, nanosecondUnits: true);
        ulong maskAddress = 0, maskSize = 0;
        if (timeout is null || (maskArgument != 0 && (!p.User.TryRead64(maskArgument, out maskAddress) || !p.User.TryRead64(maskArgument + 8, out maskSize))))
        {
            return -Errno.EFAULT;
        }

        return timeout == -Errno.EINVAL ? -Errno.EINVAL
            : WaitMask(p, maskAddress, maskSize) is { } error ? error : Select(p, count, readAddress, writeAddress, exceptAddress, timeout.Value, timeoutAddress, nanosecondUnits: true);
    }

    /// <summary>
    /// The signal mask of ppoll and pselect6 (none when <paramref name="maskAddress"/> is 0): it replaces the
    /// blocked set while the call waits, as rt_sigsuspend's does; the kernel puts the old one back. Returns
    /// an error, or null when the call may go on. (Under syscall emulation no handler runs, so it is only read.)
    /// </summary>
    private static long? WaitMask(GuestProcess p, ulong maskAddress, ulong maskSize)
    {
        if (maskAddress == 0)
        {
            return null;
        }

        if (maskSize != 8)
        {
            return -Errno.EINVAL;
        }

        if (!p.User.TryRead64(maskAddress, out ulong mask))
        {
            return -Errno.EFAULT;
        }

        if (p.Waiter is { } waiter)
        {
            const ulong unblockable = (1UL << (9 - 1)) | (1UL << (19 - 1)); // SIGKILL, SIGSTOP
            waiter.SavedMask ??= p.BlockedSignals;
            p.BlockedSignals = mask & ~unblockable;
        }

        return null;
    }

    /// <summary>
    /// A timespec (or timeval) timeout in milliseconds, rounded up: -1 for a null pointer (wait forever),
    /// -EINVAL for a negative or out-of-range field, null on a fault.
    /// </summary>
    private static long? ReadTimeout(GuestProcess p, ulong address, bool nanosecondUnits)
    {
        if (address == 0)
        {
            return -1;
        }

        if (!p.User.TryRead64(address, out ulong seconds) || !p.User.TryRead64(address + 8, out ulong fraction))
        {
            return null;
        }

        ulong perSecond = nanosecondUnits ? NanosecondsPerSecond : 1_000_000;
        if ((long)seconds < 0 || fraction >= perSecond)
        {
            return -Errno.EINVAL;
        }

        ulong perMillisecond = perSecond / 1000;
        const ulong Forever = 1UL << 40; // seconds; caps the sum below overflow (34,000 years)
        return (long)((Math.Min(seconds, Forever) * 1000) + ((fraction + perMillisecond - 1) / perMillisecond));
    }
}
