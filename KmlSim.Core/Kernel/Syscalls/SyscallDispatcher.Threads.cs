using KmlSim.Kernel.Process;

namespace KmlSim.Kernel.Syscalls;

/// <summary>
/// What a single-threaded process needs of futexes and signals: libc's locks and once-flags wake and wait
/// on futexes even without other threads, and abort() raises SIGABRT at itself. Without signal handlers a
/// signal is fatal unless its default action is to ignore it.
/// </summary>
internal static partial class SyscallDispatcher
{
    private const int FutexWait = 0;
    private const int FutexWake = 1;
    private const int FutexWaitBitset = 9;
    private const int FutexWakeBitset = 10;
    private const int FutexCommandMask = 0x7F; // strips FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME
    private const int MaxSignal = 64;

    internal static long Futex(GuestProcess p, ulong address, int operation, uint expected, ulong timeout)
    {
        switch (operation & FutexCommandMask)
        {
            case FutexWake or FutexWakeBitset:
                return 0; // no other thread can be waiting
            case FutexWait or FutexWaitBitset:
                Span<byte> word = stackalloc byte[4];
                if ((address & 3) != 0)
                {
                    return -Errno.EINVAL;
                }

                if (!p.User.TryRead(address, word))
                {
                    return -Errno.EFAULT;
                }

                if (BitConverter.ToUInt32(word) != expected)
                {
                    return -Errno.EAGAIN;
                }

                if (timeout != 0)
                {
                    return -Errno.ETIMEDOUT; // nobody can wake it before the timeout
                }

                p.Fail($"deadlock: futex wait at 0x{address:x} with no other thread to wake it");
                return 0;
            default:
                return Unimplemented(p, "futex");
        }
    }

    /// <summary>kill, tkill and tgkill aimed at the process itself (the only process there is).</summary>
    internal static long SignalSelf(GuestProcess p, int target, int signal)
    {
        if (target != p.Pid)
        {
            return -Errno.ESRCH;
        }

        if (signal is < 0 or > MaxSignal)
        {
            return -Errno.EINVAL;
        }

        if (signal != 0 && !FatalSignal.IsIgnoredByDefault(signal))
        {
            p.Kill(signal, $"{FatalSignal.Name(signal)} sent by the program to itself");
        }

        return 0;
    }
}
