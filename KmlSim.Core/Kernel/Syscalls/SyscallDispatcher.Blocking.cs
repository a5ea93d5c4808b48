using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;

namespace KmlSim.Kernel.Syscalls;

/// <summary>
/// The two places where a file call needs the rest of the kernel: a call that must sleep, and SIGPIPE.
/// A process with a <see cref="GuestProcess.Waiter"/> (a task of the simulated kernel) joins every queue
/// and the body returns <see cref="WaitQueue.RestartSyscall"/>: the kernel blocks the task, and a wake-up
/// re-runs the whole call (the file objects changed nothing before saying "would block"). In syscall
/// emulation there is no waiter and one process, so whatever it waits for can never happen: the run ends
/// with an error naming the deadlock instead of hanging the host.
/// </summary>
internal static partial class SyscallDispatcher
{
    private const int SigPipe = 13;

    /// <summary>The calling process must sleep until one of <paramref name="queues"/> wakes it.</summary>
    private static long Block(GuestProcess p, IReadOnlyList<WaitQueue?> queues, string what)
    {
        if (p.Waiter is { } task)
        {
            foreach (WaitQueue? queue in queues)
            {
                queue?.Add(task);
            }

            return WaitQueue.RestartSyscall;
        }

        p.Fail($"deadlock: {what} would block forever: no other process can run");
        return -Errno.EAGAIN;
    }

    /// <summary>
    /// The calling process must sleep until one of <paramref name="queues"/> wakes it or
    /// <paramref name="timeoutMs"/> milliseconds pass (negative: no limit). Returns the value the body must
    /// return, or null once the time has run out (the body then reports that nothing is ready). The first
    /// run of the call sets the deadline; the runs after a wake-up keep it. Under syscall emulation nothing
    /// can wake the lone process, so the time passes at once.
    /// </summary>
    private static long? BlockUntil(GuestProcess p, IReadOnlyList<WaitQueue?> queues, long timeoutMs, string what)
    {
        if (timeoutMs < 0)
        {
            return Block(p, queues, what + " with no timeout");
        }

        long now = p.Cpu.Timer.Clock.Now;
        long deadline = SimulatedClock.DeadlineAfter(now, SimulatedClock.SpanNanoseconds((ulong)timeoutMs / 1000, (ulong)timeoutMs % 1000 * 1_000_000));
        if (deadline == SimulatedClock.Never)
        {
            return Block(p, queues, what + " with a timeout past the clock's end");
        }

        if (p.Waiter is not { } task)
        {
            p.Cpu.Timer.Clock.IdleUntil(deadline);
            return null;
        }

        if (task.Deadline == IWaiter.NoDeadline)
        {
            task.Deadline = deadline;
        }
        else if (now >= task.Deadline)
        {
            return null;
        }

        return Block(p, queues, what);
    }

    /// <summary>
    /// A write met a pipe or socket without readers: EPIPE, and SIGPIPE. An ignored SIGPIPE leaves only
    /// EPIPE; the default action ends the process; a handler (or a blocked signal) gets it queued, and the
    /// kernel delivers pending signals on the way back to user code.
    /// </summary>
    private static long BrokenPipe(GuestProcess p, string what)
    {
        SignalAction action = p.SignalActions[SigPipe];
        ulong bit = 1UL << (SigPipe - 1);
        if (action.Handler == SignalAction.Ignore)
        {
            return -Errno.EPIPE;
        }

        if (action.Handler == 0 && (p.BlockedSignals & bit) == 0)
        {
            p.Kill(SigPipe, $"SIGPIPE: {what} with no reader left");
        }
        else
        {
            p.PendingSignals |= bit;
        }

        return -Errno.EPIPE;
    }
}
