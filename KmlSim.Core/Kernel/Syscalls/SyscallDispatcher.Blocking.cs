using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;

namespace KmlSim.Kernel.Syscalls;

/// <summary>
/// The two places where a file call needs the rest of the kernel: a call that must sleep, and SIGPIPE.
/// In syscall emulation there is one process, so whatever it waits for can never happen: the run ends
/// with an error naming the deadlock instead of hanging the host. A scheduler replaces <see cref="Block"/>:
/// put the task to sleep on every queue (each calls its waker once, at the next state change), restart the
/// call when woken (RIP back over the 2-byte SYSCALL, RAX = the call number), and deliver signals first.
/// </summary>
internal static partial class SyscallDispatcher
{
    private const int SigPipe = 13;

    /// <summary>The calling process must sleep until one of <paramref name="queues"/> wakes it.</summary>
    private static long Block(GuestProcess p, IReadOnlyList<FileWaitQueue?> queues, string what)
    {
        p.Fail($"deadlock: {what} would block forever: no other process can run");
        return -Errno.EAGAIN;
    }

    /// <summary>A write met a pipe or socket without readers: SIGPIPE, whose default action ends the process.</summary>
    private static long BrokenPipe(GuestProcess p, string what)
    {
        p.Kill(SigPipe, $"SIGPIPE: {what} with no reader left");
        return -Errno.EPIPE;
    }
}
