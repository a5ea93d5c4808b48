using KmlSim.Execution;
using KmlSim.Isa;
using KmlSim.Kernel.Boot;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;
using KmlSim.Memory;
using KmlSim.Observation;

namespace KmlSim.Kernel;

/// <summary>
/// The legacy vsyscall page, as Linux 2.6.11 had it: gettimeofday at offset 0, time at 0x400 and -ENOSYS
/// at 0x800, run in user mode without entering the kernel, so that their cost is the process's user time
/// (<see cref="IKernelWorkMeter.ChargeVsyscall"/>). The page is never mapped: a process's call to an entry
/// is a fetch fault the CPU hands to <see cref="ServeFetchFault"/> before any exception is delivered, and
/// the call returns to its caller with the result in RAX. What a program observes otherwise follows today's
/// kernel (emulate_vsyscall with vsyscall=xonly): a read or write of the page is SIGSEGV (SEGV_MAPERR, the
/// address), and a call it cannot complete (off an entry, an unreadable return address, a bad pointer) is
/// SIGSEGV from the kernel at the entry, as <see cref="VsyscallFault"/> reports it.
/// </summary>
internal sealed partial class SimulatedKernel
{
    /// <inheritdoc/>
    public bool ServeFetchFault(Cpu cpu, ulong address)
    {
        if (current is not { } task || EntryAt(address) is not { } entry || !IsProcessContext(task, (ulong)cpu.Cpl, cpu.GetRegister(Gpr.Rsp)))
        {
            return false;
        }

        GuestProcess p = task.Process;
        ulong rsp = cpu.GetRegister(Gpr.Rsp);
        if (!p.User.TryRead64(rsp, out ulong caller))
        {
            return false;
        }

        long result = entry switch
        {
            VsyscallEntry.Gettimeofday => SyscallDispatcher.Gettimeofday(p, cpu.GetRegister(Gpr.Rdi), cpu.GetRegister(Gpr.Rsi)),
            VsyscallEntry.Time => SyscallDispatcher.Time(p, cpu.GetRegister(Gpr.Rdi)),
            _ => -Errno.ENOSYS,
        };
        if (result == -Errno.EFAULT)
        {
            return false; // the fault is delivered, and VsyscallFault reports it
        }

        cpu.SetRegister(Gpr.Rax, (ulong)result);
        cpu.SetRegister(Gpr.Rsp, rsp + 8);
        cpu.Rip = caller;
        meter.ChargeVsyscall(entry);
        return true;
    }

    /// <summary>The entry a call to <paramref name="address"/> reaches, or null when it is no entry of the page.</summary>
    private static VsyscallEntry? EntryAt(ulong address) => (address - KernelLayout.VsyscallPage) switch
    {
        0 => VsyscallEntry.Gettimeofday,
        0x400 => VsyscallEntry.Time,
        0x800 => VsyscallEntry.Enosys,
        _ => null,
    };

    /// <summary>
    /// A process's instruction fetch from the vsyscall page that was not served: today's emulate_vsyscall
    /// sends SIGSEGV from the kernel (SI_KERNEL, the thread's trap state untouched), except for a pointer
    /// outside the user address space, which is the SEGV_MAPERR of a write there (write_ok_or_segv).
    /// Returns false for any other fault, which takes the ordinary path.
    /// </summary>
    private bool VsyscallFault(KernelTask task, ulong frame, uint errorCode, ulong cr2)
    {
        ulong rip = ReadKernel64(frame + KernelLayout.Rip);
        if ((errorCode & PageFaultErrorCode.InstructionFetch) == 0 || cr2 != rip || cr2 - KernelLayout.VsyscallPage >= ProcessMemory.PageSize)
        {
            return false;
        }

        (ulong pointer, ulong size) = EntryAt(rip) switch
        {
            VsyscallEntry.Gettimeofday when !UserMemory.IsUserRange(ReadKernel64(frame + KernelLayout.Rdi), 16) => (ReadKernel64(frame + KernelLayout.Rdi), 16UL),
            VsyscallEntry.Gettimeofday when !UserMemory.IsUserRange(ReadKernel64(frame + KernelLayout.Rsi), 8) => (ReadKernel64(frame + KernelLayout.Rsi), 8UL),
            VsyscallEntry.Time when !UserMemory.IsUserRange(ReadKernel64(frame + KernelLayout.Rdi), 8) => (ReadKernel64(frame + KernelLayout.Rdi), 8UL),
            _ => (0UL, 0UL),
        };
        SignalInfo info = SignalInfo.Fault(SignalInfo.Kernel, 0);
        if (size != 0 && pointer != 0)
        {
            task.Trap = new TrapState((ulong)Interrupts.ExceptionVector.PageFault, PageFaultErrorCode.User | PageFaultErrorCode.Write, pointer);
            info = SignalInfo.Fault(TrapSignal.SegvMapError, pointer);
        }

        if (!HandlesFault(task, FatalSignal.SegmentationFault, info))
        {
            task.Process.Kill(FatalSignal.SegmentationFault, $"SIGSEGV: a call into the vsyscall page at 0x{rip:x} that could not be completed");
        }

        return true;
    }
}
