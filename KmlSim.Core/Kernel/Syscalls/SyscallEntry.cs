using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;
using KmlSim.Observation;

namespace KmlSim.Kernel.Syscalls;

/// <summary>A body that needs only its process (it runs under the kernel and in syscall emulation alike).</summary>
internal delegate long SyscallBody(GuestProcess process, SyscallArguments a);

/// <summary>A body that needs the kernel's task table or the calling task (fork, wait4, signals).</summary>
internal delegate long KernelSyscallBody(SimulatedKernel kernel, KernelTask task, SyscallArguments a);

/// <summary>What a call that a signal interrupted returns, given the deadline it was sleeping towards.</summary>
internal delegate long InterruptedSyscall(GuestProcess process, SyscallArguments a, long deadline);

/// <summary>
/// One row of the system call table (<see cref="SyscallTable"/>): the call's number and name, its bodies, the
/// 2.6.11 code path a work meter charges for it, and how a signal's handler treats it when it was
/// interrupted. A row without a body is a call Linux has and this kernel does not: ENOSYS, counted by name.
/// </summary>
internal sealed class SyscallEntry(long number, string name, KernelPathId path = KernelPathId.Unestimated)
{
    /// <summary>Number, name and cost path, as the work meter sees them.</summary>
    public SyscallIdentity Identity { get; } = new(number, name, path);

    /// <summary>The x86-64 call number.</summary>
    public long Number => Identity.Number;

    /// <summary>The call's name in asm/unistd_64.h.</summary>
    public string Name => Identity.Name;

    /// <summary>The body that needs only the process; under the kernel it runs when there is no <see cref="KernelBody"/>.</summary>
    public SyscallBody? Body { get; init; }

    /// <summary>The body under the simulated kernel; in syscall emulation (no kernel) a row with only this is ENOSYS.</summary>
    public KernelSyscallBody? KernelBody { get; init; }

    /// <summary>Whether a handler's SA_RESTART restarts the call when a signal interrupted it while it blocked.</summary>
    public SyscallRestart Restart { get; init; } = SyscallRestart.WithSaRestart;

    /// <summary>The result of the call when a signal interrupts it; null: -EINTR.</summary>
    public InterruptedSyscall? Interrupted { get; init; }
}
