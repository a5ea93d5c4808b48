namespace KmlSim.Observation;

/// <summary>
/// A system call as the kernel announces it to its work meter (<see cref="IKernelWorkMeter.BeginSyscall"/>,
/// <see cref="IKernelWorkMeter.Charge"/>): one row of the kernel's system call table, or for a number Linux
/// does not define, "syscall_N" with no estimated path.
/// </summary>
/// <param name="Number">The x86-64 call number (RAX at the call).</param>
/// <param name="Name">The call's name in asm/unistd_64.h.</param>
/// <param name="Path">The 2.6.11 code path its body takes.</param>
public sealed record SyscallIdentity(long Number, string Name, KernelPathId Path);
