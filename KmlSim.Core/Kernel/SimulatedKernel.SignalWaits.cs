using System.Buffers.Binary;
using KmlSim.Execution;
using KmlSim.Isa;
using KmlSim.Kernel.Boot;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel;

/// <summary>
/// Waiting for signals and what signals do to waits (Linux 2.6 semantics): a signal that is ignored when
/// sent is discarded at once and wakes nobody; a blocking call that finds a deliverable signal pending
/// fails with EINTR (nanosleep also reports the time left), and when the handler that takes the signal
/// has SA_RESTART a read, write, wait4 (Linux's -ERESTARTSYS calls) is instead restarted: the frame's
/// RAX gets the call number back and its RIP points at the SYSCALL again (for a KML process, whose
/// SYSCALL was a call, the frame returns to that instruction with the pushed return address popped).
/// poll, select, nanosleep, pause, rt_sigsuspend and rt_sigtimedwait never restart after a handler.
/// Also rt_sigsuspend, pause, rt_sigtimedwait, rt_sigpending, sigaltstack, and SIGCHLD to the parent.
/// </summary>
internal sealed partial class SimulatedKernel
{
    private const int SigChld = 17;
    private const int SignalStackBytes = 24; // stack_t: ss_sp, ss_flags (int, padded), ss_size
    private const int SsOnStack = 1, SsDisable = 2;
    private const ulong MinSignalStack = 2048; // MINSIGSTKSZ

    /// <summary>True when a signal is ignored by its action (SIG_IGN, or SIG_DFL with an ignoring default).</summary>
    private static bool IsIgnored(GuestProcess p, int signal)
    {
        ulong handler = p.SignalActions[signal].Handler;
        return handler == SignalAction.Ignore || (handler == 0 && FatalSignal.IsIgnoredByDefault(signal));
    }

    /// <summary>
    /// A call found nothing to do and would block: when a deliverable signal is pending it ends now with
    /// EINTR instead (the exit path delivers the signal), remembering how it may restart. True when it ended.
    /// </summary>
    private bool InterruptBlockedCall(KernelTask task, SyscallEntry call)
    {
        GuestProcess p = task.Process;
        if ((p.PendingSignals & ~p.BlockedSignals) == 0)
        {
            return false;
        }

        if (p.BlockedWriteProgress > 0)
        {
            // A pipe or socket write that had written part of its bytes returns their count (pipe_write), and is not restarted.
            hardware.Cpu.SetRegister(Gpr.Rax, (ulong)p.BlockedWriteProgress);
            p.BlockedWriteProgress = 0;
            task.Interrupted = SyscallRestart.Never;
            return true;
        }

        long result = call.Interrupted is { } interrupted ? interrupted(p, SyscallArguments.Of(hardware.Cpu), task.Deadline) : -Errno.EINTR;
        hardware.Cpu.SetRegister(Gpr.Rax, (ulong)result);
        task.Interrupted = call.Restart;
        return true;
    }

    /// <summary>
    /// The handler of <paramref name="action"/> is about to run after an interrupted call: with SA_RESTART
    /// and a restartable call, make the frame execute the call again after the handler.
    /// </summary>
    private void RestartIfAsked(KernelTask task, ulong frame, SignalAction action)
    {
        if (task.Interrupted == SyscallRestart.WithSaRestart && (action.Flags & SignalAction.SaRestart) != 0)
        {
            ulong rip = ReadKernel64(frame + KernelLayout.Rip);
            ulong rsp = ReadKernel64(frame + KernelLayout.Rsp);
            if (!IsKernelAddress(rip))
            {
                WriteKernel64(frame + KernelLayout.Rip, rip - 2); // SYSCALL is 2 bytes (0F 05)
                WriteKernel64(frame + KernelLayout.Rax, ReadKernel64(frame + KernelLayout.OrigRax));
            }
            else if (task.Process.User.TryRead64(rsp, out ulong returnAddress))
            {
                // KML: the SYSCALL was a call to the direct entry; return straight to it, popping its return
                // address. (Were that address unreadable, the call would simply keep its EINTR.)
                WriteKernel64(frame + KernelLayout.Rip, returnAddress - 2);
                WriteKernel64(frame + KernelLayout.Rsp, rsp + 8);
                WriteKernel64(frame + KernelLayout.Rax, ReadKernel64(frame + KernelLayout.OrigRax));
            }
        }

        task.Interrupted = SyscallRestart.None;
    }

    internal long Suspend(KernelTask task, ulong maskAddress, ulong setSize)
    {
        GuestProcess p = task.Process;
        if (setSize != SigsetBytes)
        {
            return -Errno.EINVAL;
        }

        if (!p.User.TryRead64(maskAddress, out ulong mask))
        {
            return -Errno.EFAULT;
        }

        task.SavedMask ??= p.BlockedSignals; // (a run after a stale wake-up keeps the mask saved by the first)
        p.BlockedSignals = mask & ~Unblockable;
        return WaitQueue.RestartSyscall; // blocks, unless a signal it now lets through is pending: then EINTR
    }

    internal long TimedWait(KernelTask task, ulong setAddress, ulong infoAddress, ulong timeoutAddress, ulong setSize)
    {
        GuestProcess p = task.Process;
        if (setSize != SigsetBytes)
        {
            return -Errno.EINVAL;
        }

        if (!p.User.TryRead64(setAddress, out ulong set))
        {
            return -Errno.EFAULT;
        }

        set &= ~Unblockable;
        ulong ready = p.PendingSignals & set;
        if (ready != 0)
        {
            int signal = System.Numerics.BitOperations.TrailingZeroCount(ready) + 1;
            Span<byte> info = stackalloc byte[SiginfoBytes];
            p.PendingSignalInfo[signal].Write(info, signal);
            if (infoAddress != 0 && !p.User.TryWrite(infoAddress, info))
            {
                return -Errno.EFAULT;
            }

            p.PendingSignals &= ~Bit(signal);
            return signal;
        }

        long now = hardware.Cpu.Timer.Clock.Now;
        if (task.Deadline != IWaiter.NoDeadline)
        {
            if (now >= task.Deadline)
            {
                return -Errno.EAGAIN;
            }
        }
        else if (timeoutAddress != 0)
        {
            if (!p.User.TryRead64(timeoutAddress, out ulong seconds) || !p.User.TryRead64(timeoutAddress + 8, out ulong nanoseconds))
            {
                return -Errno.EFAULT;
            }

            if ((long)seconds < 0 || nanoseconds >= 1_000_000_000)
            {
                return -Errno.EINVAL;
            }

            if (seconds == 0 && nanoseconds == 0)
            {
                return -Errno.EAGAIN;
            }

            task.Deadline = SimulatedClock.DeadlineAfter(now, SimulatedClock.SpanNanoseconds(seconds, nanoseconds));
        }

        task.WaitedSignals = set;
        return WaitQueue.RestartSyscall;
    }

    /// <summary>rt_sigpending: the pending signals that are blocked (the others are being delivered).</summary>
    internal static long PendingSet(KernelTask task, ulong address, ulong setSize)
    {
        GuestProcess p = task.Process;
        if (setSize > SigsetBytes)
        {
            return -Errno.EINVAL;
        }

        Span<byte> set = stackalloc byte[SigsetBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(set, p.PendingSignals & p.BlockedSignals);
        return p.User.TryWrite(address, set[..(int)setSize]) ? 0 : -Errno.EFAULT;
    }

    /// <summary>sigaltstack: reads back the alternate stack (SS_ONSTACK while the caller runs on it) and sets a new one.</summary>
    internal long AlternateStack(KernelTask task, ulong newAddress, ulong oldAddress)
    {
        GuestProcess p = task.Process;
        ulong rsp = ReadKernel64(KernelLayout.PerCpu + KernelLayout.PdaOldRsp);
        Span<byte> old = stackalloc byte[SignalStackBytes];
        WriteStackDescription(old, task.AlternateStack, rsp);
        if (newAddress != 0)
        {
            Span<byte> requested = stackalloc byte[SignalStackBytes];
            if (!p.User.TryRead(newAddress, requested))
            {
                return -Errno.EFAULT;
            }

            long result = SetAlternateStack(task, rsp, requested);
            if (result != 0)
            {
                return result;
            }
        }

        return oldAddress == 0 || p.User.TryWrite(oldAddress, old) ? 0 : -Errno.EFAULT;
    }

    /// <summary>Applies a stack_t (sigaltstack, and rt_sigreturn's uc_stack) for a task whose stack pointer is <paramref name="rsp"/>.</summary>
    private static long SetAlternateStack(KernelTask task, ulong rsp, ReadOnlySpan<byte> description)
    {
        ulong stackBase = BinaryPrimitives.ReadUInt64LittleEndian(description);
        int flags = BinaryPrimitives.ReadInt32LittleEndian(description[8..]);
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(description[16..]);
        if (task.AlternateStack.Contains(rsp))
        {
            return -Errno.EPERM; // the stack in use may not change under the handler running on it
        }

        if (flags is not (0 or SsOnStack or SsDisable))
        {
            return -Errno.EINVAL;
        }

        if (flags == SsDisable)
        {
            task.AlternateStack = default;
            return 0;
        }

        if (size < MinSignalStack)
        {
            return -Errno.ENOMEM;
        }

        task.AlternateStack = new SignalStack(stackBase, size);
        return 0;
    }

    /// <summary>A stack_t describing <paramref name="stack"/> as seen from <paramref name="rsp"/> (Linux's sas_ss_flags).</summary>
    private static void WriteStackDescription(Span<byte> destination, SignalStack stack, ulong rsp)
    {
        int flags = !stack.Enabled ? SsDisable : stack.Contains(rsp) ? SsOnStack : 0;
        BinaryPrimitives.WriteUInt64LittleEndian(destination, stack.Base);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], flags);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], stack.Size);
    }

    /// <summary>
    /// A child ended: SIGCHLD to its parent (discarded when ignored) with the child's pid, status and
    /// times. Returns false when the parent does not keep zombies (SIGCHLD set to SIG_IGN, or SA_NOCLDWAIT).
    /// </summary>
    private bool NotifyParent(KernelTask parent, KernelTask child, ProcessStop ending)
    {
        ProcessTimes times = child.Process.Times;
        bool killed = ending.Outcome == RunOutcome.Signaled;
        var info = new SignalInfo(
            killed ? SignalInfo.ChildKilled : SignalInfo.ChildExited, child.Process.Pid, killed ? ending.Signal ?? 0 : child.Process.ExitCode ?? 0,
            SimulatedClock.UserHzTicks(times.UserCycles), SimulatedClock.UserHzTicks(times.SystemCycles));
        PostSignal(ChooseThread(parent.Group, SigChld), SigChld, info);
        SignalAction action = parent.Process.SignalActions[SigChld];
        return action.Handler != SignalAction.Ignore && (action.Flags & SignalAction.SaNoChildWait) == 0;
    }
}
