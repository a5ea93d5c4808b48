using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Kernel.Boot;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;
using KmlSim.Memory;

namespace KmlSim.Kernel;

/// <summary>
/// The trap rules, in one place: an exception whose context belongs to a process is that process's signal
/// (with the siginfo and trap state Linux reports), and only kernel code faulting where it has no fixup
/// stops the machine with an oops. Whose context it is comes from the frame and the process, never from
/// the faulting address: code at CPL 3, or a ring-0 (kernel-mode user) process's own code, which runs on
/// its own stack in the user half, is the process's; kernel code runs on a kernel-half stack.
/// </summary>
internal sealed partial class SimulatedKernel
{
    /// <summary>An exception taken with <paramref name="frame"/> (the pt_regs the entry code built).</summary>
    private void Exception(Cpu cpu, KernelTask task, ulong frame, byte vector)
    {
        uint errorCode = EntryCode.PushesErrorCode(vector) ? (uint)ReadKernel64(frame + KernelLayout.OrigRax) : 0;
        if (vector == (byte)ExceptionVector.PageFault && IsCopyOnWriteFault(task, errorCode, cpu.Cr2))
        {
            return; // the IRETQ runs the writing instruction again, now on the private copy
        }

        if (vector == (byte)ExceptionVector.Debug && !BelongsToProcess(task, frame))
        {
            // Single-stepping into the kernel (a ring-0 process's call into the direct entry keeps TF): as
            // Linux's do_debug, ignore it in kernel code and stop stepping there.
            WriteKernel64(frame + KernelLayout.Rflags, ReadKernel64(frame + KernelLayout.Rflags) & ~Isa.RFlags.TF);
            return;
        }

        if (!BelongsToProcess(task, frame) && !(FixedUp(cpu, frame, vector) && BelongsToProcess(task, frame)))
        {
            ulong at = ReadKernel64(frame + KernelLayout.Rip);
            machineStop = new ProcessStop(RunOutcome.Error, Message: $"kernel oops: {ExceptionNames.Mnemonic(vector)} in kernel code at 0x{at:x}: {cpu.Disassemble(at)}");
            cpu.RequestStop();
            return;
        }

        GuestProcess p = task.Process;
        ulong rip = ReadKernel64(frame + KernelLayout.Rip);
        ulong cr2 = vector == (byte)ExceptionVector.PageFault ? cpu.Cr2 : 0;
        if (vector == (byte)ExceptionVector.PageFault && VsyscallFault(task, frame, errorCode, cr2))
        {
            return;
        }

        bool mapped = p.Memory.RegionCovering(cr2, cr2 + 1) is not null;
        uint floatingPointErrors = vector switch
        {
            (byte)ExceptionVector.X87FloatingPoint => (uint)(cpu.Fsw & ~cpu.Fcw) & 0x3F,
            (byte)ExceptionVector.SimdFloatingPoint => cpu.Mxcsr & ~(cpu.Mxcsr >> Isa.MxcsrBits.MaskShift) & 0x3F,
            _ => 0,
        };
        if (TrapSignal.For((ExceptionVector)vector, errorCode, cr2, rip, mapped, floatingPointErrors, task.Trap) is not { } trap)
        {
            return; // a floating-point trap with no unmasked exception raised: spurious, no signal
        }

        task.Trap = trap.Trap;
        if (!HandlesFault(task, trap.Signal, SignalInfo.Fault(trap.Code, trap.Address)))
        {
            uint? pushed = EntryCode.PushesErrorCode(vector) ? errorCode : null;
            p.Kill(trap.Signal, FatalSignal.Describe(cpu, new GuestFaultException((ExceptionVector)vector, pushed, cr2), rip));
        }
    }

    /// <summary>
    /// True when the interrupted context of <paramref name="frame"/> is the process's: CPL 3, or a process
    /// that runs in ring 0 interrupted on its own (user-half) stack, as the entry code also tells them apart.
    /// </summary>
    private bool BelongsToProcess(KernelTask task, ulong frame) =>
        IsProcessContext(task, ReadKernel64(frame + KernelLayout.Cs), ReadKernel64(frame + KernelLayout.Rsp));

    /// <summary>The rule of <see cref="BelongsToProcess"/> for a context with code selector (or CPL) <paramref name="cs"/> and stack pointer <paramref name="rsp"/>.</summary>
    private static bool IsProcessContext(KernelTask task, ulong cs, ulong rsp) =>
        (cs & 3) == 3 || (task.Process.KernelModeUser && rsp < KernelLayout.KernelHalf);

    /// <summary>
    /// The kernel's exception table: the fixups for kernel instructions that may fault on a process's
    /// behalf. Only the interrupt return's IRETQ has one (see <see cref="EntryCode.ReturnIret"/>): its
    /// #GP, #SS or #NP becomes the fault of the context it was returning to, as Linux's fixup_bad_iret
    /// rewrites the frame: the frame the IRETQ was popping (at the faulting RSP) replaces the hardware part of
    /// this one (every general register already holds the process's value), and GS goes back to the
    /// kernel's when the exit path had swapped it for a return to ring 3. True when a fixup applied.
    /// </summary>
    private bool FixedUp(Cpu cpu, ulong frame, byte vector)
    {
        bool iretFault = vector is (byte)ExceptionVector.GeneralProtection or (byte)ExceptionVector.StackFault or (byte)ExceptionVector.SegmentNotPresent;
        if (!iretFault || ReadKernel64(frame + KernelLayout.Rip) != entry.ReturnIret)
        {
            return false;
        }

        ulong popped = ReadKernel64(frame + KernelLayout.Rsp);
        for (ulong slot = 0; slot < 5; slot++)
        {
            WriteKernel64(frame + KernelLayout.Rip + (slot * 8), ReadKernel64(popped + (slot * 8)));
        }

        if ((ReadKernel64(frame + KernelLayout.Cs) & 3) == 3)
        {
            (cpu.GsBase, cpu.KernelGsBase) = (cpu.KernelGsBase, cpu.GsBase);
        }

        return true;
    }
}
