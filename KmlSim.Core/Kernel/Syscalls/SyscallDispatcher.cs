using KmlSim.Isa;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;

namespace KmlSim.Kernel.Syscalls;

/// <summary>
/// Services the system call a process stopped on, with the x86-64 Linux convention: the number in RAX,
/// arguments in RDI, RSI, RDX, R10, R8, R9, the result (or a negated errno) back in RAX, every other
/// register preserved. The call's row in <see cref="SyscallTable"/> names its body; bodies are grouped by
/// family in the partial files beside this one. A call that is not implemented returns ENOSYS and is counted by name.
/// </summary>
internal static partial class SyscallDispatcher
{
    /// <summary>Services the call in the process's registers without a kernel (syscall emulation, tests).</summary>
    /// <returns>False when the call blocked (its body returned <see cref="WaitQueue.RestartSyscall"/>).</returns>
    public static bool Dispatch(GuestProcess p) => Dispatch(p, SyscallTable.Of((long)p.Cpu.GetRegister(Gpr.Rax)), null, null);

    /// <summary>
    /// Services one call of row <paramref name="call"/>: under <paramref name="kernel"/> (for <paramref name="task"/>)
    /// its kernel body when it has one, else its process body; a row with neither is ENOSYS, counted by name.
    /// Afterwards the process may have exited. A body that returns <see cref="WaitQueue.RestartSyscall"/> leaves
    /// every register as it was, so that the kernel can block the task and run the same call again when it is woken.
    /// </summary>
    /// <returns>False when the call blocked (its body returned <see cref="WaitQueue.RestartSyscall"/>).</returns>
    public static bool Dispatch(GuestProcess p, SyscallEntry call, SimulatedKernel? kernel, KernelTask? task)
    {
        var a = SyscallArguments.Of(p.Cpu);
        p.SyscallCount++;
        long result = (kernel, task, call.KernelBody, call.Body) switch
        {
            ({ } k, { } t, { } kernelBody, _) => kernelBody(k, t, a),
            (_, _, _, { } body) => body(p, a),
            _ => Unimplemented(p, call.Name),
        };
        if (result == WaitQueue.RestartSyscall)
        {
            p.SyscallCount--; // counted again when the call runs anew
            return false; // the body joined a wait queue; RAX still holds the number, so the call can run again
        }

        p.Cpu.SetRegister(Gpr.Rax, (ulong)result);
        return true;
    }

    /// <summary>ENOSYS for a call (or an operation of one) this kernel does not implement, counted by the call's name.</summary>
    internal static long Unimplemented(GuestProcess p, string name)
    {
        p.UnimplementedSyscalls[name] = p.UnimplementedSyscalls.GetValueOrDefault(name) + 1;
        return -Errno.ENOSYS;
    }
}
