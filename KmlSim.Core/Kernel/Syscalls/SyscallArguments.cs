using KmlSim.Execution;
using KmlSim.Isa;

namespace KmlSim.Kernel.Syscalls;

/// <summary>The six argument registers of an x86-64 Linux system call: RDI, RSI, RDX, R10, R8, R9.</summary>
internal readonly record struct SyscallArguments(ulong A0, ulong A1, ulong A2, ulong A3, ulong A4, ulong A5)
{
    /// <summary>The arguments in <paramref name="cpu"/>'s registers.</summary>
    public static SyscallArguments Of(Cpu cpu) => new(
        cpu.GetRegister(Gpr.Rdi), cpu.GetRegister(Gpr.Rsi), cpu.GetRegister(Gpr.Rdx),
        cpu.GetRegister(Gpr.R10), cpu.GetRegister(Gpr.R8), cpu.GetRegister(Gpr.R9));
}
