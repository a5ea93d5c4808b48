using System.Buffers.Binary;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;

namespace KmlSim.Kernel.Syscalls;

/// <summary>
/// poll, ppoll, select and pselect6 over the readiness each open file reports. When nothing is ready the
/// caller sleeps on every polled file's queues until one changes or the timeout passes in simulated time
/// (in syscall emulation nothing can change, so a finite timeout simply expires and an infinite one is a
/// deadlock). select does not write the time left back into its timeval (Linux does).
/// </summary>
internal static partial class SyscallDispatcher
{
    private const int PollFdSize = 8; // int fd; short events; short revents
    private const int MaxPollFds = 1024 * 1024; // RLIMIT_NOFILE's ceiling (nr_open)
    private const int FdSetMax = 1024 * 1024;
    private const PollEvents AlwaysReported = PollEvents.Error | PollEvents.HangUp | PollEvents.Invalid;

    /// <summary>poll; <paramref name="timeoutMs"/> negative means wait forever.</summary>
    private static long Poll(GuestProcess p, ulong fdsAddress, ulong count, long timeoutMs)
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

    private static long Ppoll(GuestProcess p, ulong fdsAddress, ulong count, ulong timeoutAddress)
    {
        long? timeout = ReadTimeout(p, timeoutAddress, nanosecondUnits: true);
        return timeout is null ? -Errno.EFAULT : timeout == -Errno.EINVAL ? -Errno.EINVAL : Poll(p, fdsAddress, count, timeout.Value);
    }

    /// <summary>select and pselect6 (the signal mask of pselect6 changes nothing while no handler can run).</summary>
    private static long Select(GuestProcess p, int count, ulong readAddress, ulong writeAddress, ulong exceptAddress, long timeout)
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

        return ready;
    }

    private static long SelectWithTimeval(GuestProcess p, int count, ulong readAddress, ulong writeAddress, ulong exceptAddress, ulong timeoutAddress)
    {
        long? timeout = ReadTimeout(p, timeoutAddress, nanosecondUnits: false);
        return timeout is null ? -Errno.EFAULT : timeout == -Errno.EINVAL ? -Errno.EINVAL : Select(p, count, readAddress, writeAddress, exceptAddress, timeout.Value);
    }

    private static long Pselect6(GuestProcess p, int count, ulong readAddress, ulong writeAddress, ulong exceptAddress, ulong timeoutAddress)
    {
        long? timeout = ReadTimeout(p, timeoutAddress, nanosecondUnits: true);
        return timeout is null ? -Errno.EFAULT : timeout == -Errno.EINVAL ? -Errno.EINVAL : Select(p, count, readAddress, writeAddress, exceptAddress, timeout.Value);
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
