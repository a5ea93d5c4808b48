using System.Buffers.Binary;
using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Kernel.Boot;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel;

/// <summary>
/// Signals: rt_sigaction, rt_sigprocmask, delivery on the way back to user code (a handler gets the
/// x86-64 rt_sigframe of Linux: return address = the SA_RESTORER stub, a ucontext with the interrupted
/// registers, the blocked mask and a pointer to the saved FPU/SSE state, then a siginfo), on the alternate
/// signal stack for an SA_ONSTACK handler when one is set and not already in use, and rt_sigreturn,
/// which restores everything (the alternate stack setting too) and leaves through the IRETQ path. Faults become SIGSEGV/SIGBUS/SIGILL/SIGFPE,
/// delivered to a handler when one is set and the signal is not blocked, else fatal.
/// </summary>
internal sealed partial class SimulatedKernel
{
    private const int SigKill = 9, SigStop = 19;
    private const int SigsetBytes = 8;
    private const int UcontextBytes = 304, SiginfoBytes = 128, UcontextStackOffset = 16, McontextOffset = 40, SigmaskOffset = 296;
    private const int ErrSlot = 19, TrapNumberSlot = 20, Cr2Slot = 22, FpstateSlot = 23; // sigcontext quadwords: err, trapno, cr2 (the thread's trap state), the fpstate pointer
    private static readonly int[] McontextOrder = [8, 9, 10, 11, 12, 13, 14, 15, 7, 6, 5, 3, 2, 0, 1, 4]; // r8..r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp
    private static readonly int[] FrameSlots =
    [
        KernelLayout.R8, KernelLayout.R9, KernelLayout.R10, KernelLayout.R11, KernelLayout.R12, KernelLayout.R13, KernelLayout.R14, KernelLayout.R15,
        KernelLayout.Rdi, KernelLayout.Rsi, KernelLayout.Rbp, KernelLayout.Rbx, KernelLayout.Rdx, KernelLayout.Rax, KernelLayout.Rcx, KernelLayout.Rsp,
    ];

    private static ulong Bit(int signal) => 1UL << (signal - 1);

    private static ulong Unblockable => Bit(SigKill) | Bit(SigStop);

    internal long SetSignalAction(KernelTask task, int signal, ulong newAction, ulong oldAction, ulong setSize)
    {
        GuestProcess p = task.Process;
        if (signal is < 1 or > MaxSignal || setSize != SigsetBytes || (newAction != 0 && signal is SigKill or SigStop))
        {
            return -Errno.EINVAL;
        }

        Span<byte> bytes = stackalloc byte[32];
        SignalAction previous = p.SignalActions[signal];
        if (newAction != 0)
        {
            if (!p.User.TryRead(newAction, bytes))
            {
                return -Errno.EFAULT;
            }

            p.SignalActions[signal] = new SignalAction(
                BinaryPrimitives.ReadUInt64LittleEndian(bytes), BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]), BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]) & ~Unblockable);
        }

        if (oldAction != 0)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, previous.Handler);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], previous.Flags);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes[16..], previous.Restorer);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes[24..], previous.Mask);
            if (!p.User.TryWrite(oldAction, bytes))
            {
                return -Errno.EFAULT;
            }
        }

        return 0;
    }

    internal long SetSignalMask(KernelTask task, int how, ulong newSet, ulong oldSet, ulong setSize)
    {
        GuestProcess p = task.Process;
        if (setSize != SigsetBytes || (newSet != 0 && how is not (0 or 1 or 2)))
        {
            return -Errno.EINVAL;
        }

        ulong previous = p.BlockedSignals;
        if (newSet != 0)
        {
            if (!p.User.TryRead64(newSet, out ulong set))
            {
                return -Errno.EFAULT;
            }

            ulong blocked = how switch
            {
                0 => previous | set,   // SIG_BLOCK
                1 => previous & ~set,  // SIG_UNBLOCK
                _ => set,              // SIG_SETMASK
            };
            p.BlockedSignals = blocked & ~Unblockable;
            MarkDeliverable(task);
        }

        return oldSet != 0 && !p.User.TryWrite64(oldSet, previous) ? -Errno.EFAULT : 0;
    }

    /// <summary>Sets TIF_SIGPENDING when a pending signal is not blocked.</summary>
    private void MarkDeliverable(KernelTask task)
    {
        if ((task.Process.PendingSignals & ~task.Process.BlockedSignals) != 0)
        {
            WriteThreadFlags(task, ReadThreadFlags(task) | (1u << KernelLayout.TifSigPending));
        }
    }

    /// <summary>A fault's signal with its siginfo: true when a handler will take it (it is queued), false when it is fatal.</summary>
    private bool HandlesFault(KernelTask task, int signal, SignalInfo info)
    {
        GuestProcess p = task.Process;
        SignalAction action = p.SignalActions[signal];
        if (action.Handler <= SignalAction.Ignore || (p.BlockedSignals & Bit(signal)) != 0)
        {
            return false; // Linux forces the default action for a blocked or ignored synchronous fault
        }

        PostSignal(task, signal, info);
        return true;
    }

    /// <summary>Delivers the pending unblocked signals on the way back to user code (see the class comment).</summary>
    private void DeliverSignals(KernelTask task, ulong frame)
    {
        GuestProcess p = task.Process;
        while ((p.PendingSignals & ~p.BlockedSignals) != 0 && p.Ending is null)
        {
            int signal = System.Numerics.BitOperations.TrailingZeroCount(p.PendingSignals & ~p.BlockedSignals) + 1;
            p.PendingSignals &= ~Bit(signal);
            SignalAction action = p.SignalActions[signal];
            if (action.Handler == SignalAction.Ignore || (action.Handler == 0 && FatalSignal.IsIgnoredByDefault(signal)))
            {
                continue;
            }

            if (action.Handler == 0)
            {
                p.Kill(signal, $"killed by {FatalSignal.Name(signal)}");
                return;
            }

            RestartIfAsked(task, frame, action);
            if (!BuildSignalFrame(task, frame, signal, action))
            {
                p.Kill(FatalSignal.SegmentationFault, $"SIGSEGV: no room on the stack for the frame of a {FatalSignal.Name(signal)} handler");
                return;
            }

            task.SavedMask = null; // the frame holds it: rt_sigreturn restores it
            p.BlockedSignals |= (action.Mask | ((action.Flags & SignalAction.SaNoDefer) != 0 ? 0 : Bit(signal))) & ~Unblockable;
            if ((action.Flags & SignalAction.SaResetHand) != 0)
            {
                p.SignalActions[signal] = default;
            }

            return; // one handler at a time; the next pending one follows when this one returns
        }

        // No handler ran: the interrupted call keeps its EINTR, and rt_sigsuspend's mask comes back now.
        task.Interrupted = SyscallRestart.None;
        if (task.SavedMask is { } saved)
        {
            p.BlockedSignals = saved;
            task.SavedMask = null;
        }
    }

    private bool BuildSignalFrame(KernelTask task, ulong frame, int signal, SignalAction action)
    {
        Cpu cpu = hardware.Cpu;
        GuestProcess p = task.Process;
        ulong userRsp = ReadKernel64(frame + KernelLayout.Rsp);
        ulong top = userRsp - 128; // below the red zone
        SignalStack alternate = task.AlternateStack;
        if ((action.Flags & SignalAction.SaOnStack) != 0 && alternate.Enabled && !alternate.Contains(top))
        {
            top = alternate.Base + alternate.Size;
        }

        ulong fpstate = (top - Cpu.FloatingPointStateBytes) & ~0xFUL;
        ulong frameAddress = ((fpstate - UcontextBytes - SiginfoBytes) & ~0xFUL) - 8; // RSP at entry: 16n - 8, as after a call
        var image = new byte[8 + UcontextBytes + SiginfoBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(image, action.Restorer);
        Span<byte> uc = image.AsSpan(8, UcontextBytes);
        Span<byte> mcontext = uc[McontextOffset..];
        for (int i = 0; i < FrameSlots.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(mcontext[(i * 8)..], ReadKernel64(frame + (ulong)FrameSlots[i]));
        }

        BinaryPrimitives.WriteUInt64LittleEndian(mcontext[(16 * 8)..], ReadKernel64(frame + KernelLayout.Rip));
        BinaryPrimitives.WriteUInt64LittleEndian(mcontext[(17 * 8)..], ReadKernel64(frame + KernelLayout.Rflags));
        BinaryPrimitives.WriteUInt64LittleEndian(mcontext[(18 * 8)..], ReadKernel64(frame + KernelLayout.Cs) & 0xFFFF);
        BinaryPrimitives.WriteUInt64LittleEndian(mcontext[(ErrSlot * 8)..], task.Trap.ErrorCode);
        BinaryPrimitives.WriteUInt64LittleEndian(mcontext[(TrapNumberSlot * 8)..], task.Trap.TrapNumber);
        BinaryPrimitives.WriteUInt64LittleEndian(mcontext[(Cr2Slot * 8)..], task.Trap.Cr2);
        BinaryPrimitives.WriteUInt64LittleEndian(mcontext[(FpstateSlot * 8)..], fpstate);
        BinaryPrimitives.WriteUInt64LittleEndian(uc[SigmaskOffset..], task.SavedMask ?? p.BlockedSignals);
        WriteStackDescription(uc[UcontextStackOffset..], alternate, userRsp);
        Span<byte> info = image.AsSpan(8 + UcontextBytes);
        p.PendingSignalInfo[signal].Write(info, signal);
        Span<byte> fp = stackalloc byte[Cpu.FloatingPointStateBytes];
        cpu.SaveFloatingPointState(fp);
        if (!p.User.TryWrite(fpstate, fp) || !p.User.TryWrite(frameAddress, image))
        {
            return false;
        }

        cpu.ResetFloatingPointState(); // the handler starts with the initial FPU state (fpu__clear_user_states); rt_sigreturn restores the saved one

        WriteKernel64(frame + KernelLayout.Rip, action.Handler);
        WriteKernel64(frame + KernelLayout.Rsp, frameAddress);
        WriteKernel64(frame + KernelLayout.Rdi, (ulong)signal);
        WriteKernel64(frame + KernelLayout.Rsi, frameAddress + 8 + UcontextBytes);
        WriteKernel64(frame + KernelLayout.Rdx, frameAddress + 8);
        WriteKernel64(frame + KernelLayout.Rax, 0);
        WriteKernel64(frame + KernelLayout.Rflags, ReadKernel64(frame + KernelLayout.Rflags) & ~(RFlags.TF | RFlags.DF));
        return true;
    }

    /// <summary>
    /// rt_sigreturn: the ucontext is at the user RSP of the call (the handler's RET popped the return
    /// address), or 8 bytes above it for a kernel-mode user process, whose call into the direct entry
    /// pushed its own return address. Every register comes back from it, CS and SS stay the process's own (a frame cannot raise
    /// privilege), the flags only in what user code may change; the task then leaves through IRETQ.
    /// </summary>
    internal long SignalReturn(KernelTask task)
    {
        Cpu cpu = hardware.Cpu;
        GuestProcess p = task.Process;
        ulong ucontext = ReadKernel64(KernelLayout.PerCpu + KernelLayout.PdaOldRsp) + (p.KernelModeUser ? 8UL : 0);
        var uc = new byte[UcontextBytes];
        if (!p.User.TryRead(ucontext, uc))
        {
            p.Kill(FatalSignal.SegmentationFault, "SIGSEGV: rt_sigreturn with an unreadable signal frame");
            return 0;
        }

        ReadOnlySpan<byte> mcontext = uc.AsSpan(McontextOffset);
        ulong frame = KernelLayout.KernelStackTop(task.Slot) - KernelLayout.FrameSize;
        for (int i = 0; i < FrameSlots.Length; i++)
        {
            WriteKernel64(frame + (ulong)FrameSlots[i], BinaryPrimitives.ReadUInt64LittleEndian(mcontext[(i * 8)..]));
        }

        const ulong userFlags = RFlags.CF | RFlags.PF | RFlags.AF | RFlags.ZF | RFlags.SF | RFlags.TF | RFlags.DF | RFlags.OF | RFlags.AC;
        ulong flags = (BinaryPrimitives.ReadUInt64LittleEndian(mcontext[(17 * 8)..]) & userFlags) | RFlags.IF | RFlags.Reserved1;
        bool ringZero = p.KernelModeUser;
        WriteKernel64(frame + KernelLayout.Rip, BinaryPrimitives.ReadUInt64LittleEndian(mcontext[(16 * 8)..]));
        WriteKernel64(frame + KernelLayout.Rflags, flags);
        WriteKernel64(frame + KernelLayout.Cs, ringZero ? SystemTables.KernelCode : SystemTables.UserCode);
        WriteKernel64(frame + KernelLayout.Ss, ringZero ? SystemTables.KernelData : SystemTables.UserData);
        ulong fpstate = BinaryPrimitives.ReadUInt64LittleEndian(mcontext[(FpstateSlot * 8)..]);
        Span<byte> fp = stackalloc byte[Cpu.FloatingPointStateBytes];
        if (fpstate != 0 && p.User.TryRead(fpstate, fp))
        {
            uint mxcsr = BinaryPrimitives.ReadUInt32LittleEndian(fp[24..]) & 0xFFFF;
            cpu.LoadFloatingPointState(fp, mxcsr);
        }

        p.BlockedSignals = BinaryPrimitives.ReadUInt64LittleEndian(uc.AsSpan(SigmaskOffset)) & ~Unblockable;
        MarkDeliverable(task);
        SetAlternateStack(task, ReadKernel64(frame + KernelLayout.Rsp), uc.AsSpan(UcontextStackOffset)); // (Linux ignores a refused one)

        // Leave through the interrupt return with the restored frame, as Linux's stub_rt_sigreturn does.
        cpu.SetRegister(Gpr.Rsp, frame);
        cpu.Rip = entry.InterruptReturn;
        return (long)ReadKernel64(frame + KernelLayout.Rax);
    }
}
