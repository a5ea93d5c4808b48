using System.Buffers.Binary;
using KmlSim.Kernel.Process;

namespace KmlSim.Kernel.Syscalls;

/// <summary>Time and randomness: clocks read <see cref="SimulatedClock"/>; getrandom reads the seeded source.</summary>
internal static partial class SyscallDispatcher
{
    private const ulong GetrandomFlags = 0x7; // GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE
    private const ulong MaxRandomBytes = 33_554_431; // Linux caps one getrandom call at 32 MiB - 1
    private const ulong NanosecondsPerSecond = 1_000_000_000;

    private static long ClockGettime(GuestProcess p, int clock, ulong address)
    {
        ulong elapsed = SimulatedClock.ElapsedNanoseconds(p.Cpu.Timer.Clock.Now);
        ulong? nanoseconds = clock switch
        {
            0 or 5 or 11 => (SimulatedClock.EpochSeconds * NanosecondsPerSecond) + elapsed, // REALTIME, REALTIME_COARSE, TAI
            1 or 4 or 6 or 7 => SimulatedClock.BootNanoseconds + elapsed, // MONOTONIC, _RAW, _COARSE, BOOTTIME
            2 or 3 => elapsed, // PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID
            _ => null,
        };
        if (nanoseconds is not { } ns)
        {
            return -Errno.EINVAL;
        }

        return WritePair(p, address, ns / NanosecondsPerSecond, ns % NanosecondsPerSecond) ? 0 : -Errno.EFAULT;
    }

    private static long Gettimeofday(GuestProcess p, ulong timeAddress, ulong zoneAddress)
    {
        ulong ns = (SimulatedClock.EpochSeconds * NanosecondsPerSecond) + SimulatedClock.ElapsedNanoseconds(p.Cpu.Timer.Clock.Now);
        if (timeAddress != 0 && !WritePair(p, timeAddress, ns / NanosecondsPerSecond, ns % NanosecondsPerSecond / 1000))
        {
            return -Errno.EFAULT;
        }

        return zoneAddress == 0 || WritePair(p, zoneAddress, 0, 0) ? 0 : -Errno.EFAULT;
    }

    private static long Time(GuestProcess p, ulong address)
    {
        ulong seconds = SimulatedClock.EpochSeconds + (SimulatedClock.ElapsedNanoseconds(p.Cpu.Timer.Clock.Now) / NanosecondsPerSecond);
        return address == 0 || p.User.TryWrite64(address, seconds) ? (long)seconds : -Errno.EFAULT;
    }

    private static long Getrandom(GuestProcess p, ulong buffer, ulong length, uint flags)
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
