using KmlSim.Kernel.Scheduling;
using Iced.Intel;
using KmlSim.Isa;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Syscalls;
using KmlSim.Tests.Kernel.Elf;

namespace KmlSim.Tests.Kernel.Process;

/// <summary>Builds processes from small assembled programs, and makes system calls on their behalf.</summary>
internal static class TestProcess
{
    /// <summary>The argv[0] and path the test processes run as.</summary>
    public const string Path = "/guests/test";

    /// <summary>A process, loaded and ready at its entry point, on a 64 MiB machine.</summary>
    public static GuestProcess Exec(byte[] image, string[]? argv = null, string[]? environment = null, byte[]? stdin = null, int seed = 0, ulong memoryBytes = 64UL << 20) =>
        SyscallEmulationRunner.Exec(new SnippetMachine(memoryBytes), new VirtualFileSystem(seed), image, Path, System.IO.Path.GetFullPath(Path), argv ?? [Path], environment ?? [], stdin ?? [], seed);

    /// <summary>A process whose code is assembled by <paramref name="build"/>.</summary>
    public static GuestProcess Assemble(Action<Assembler> build, byte[]? stdin = null, int seed = 0, ulong memoryBytes = 64UL << 20) =>
        Exec(ElfImageBuilder.Program(build), stdin: stdin, seed: seed, memoryBytes: memoryBytes);

    /// <summary>A process that only exits (for calling system calls directly).</summary>
    public static GuestProcess Idle(byte[]? stdin = null, int seed = 0, ulong memoryBytes = 64UL << 20) =>
        Assemble(a => a.hlt(), stdin, seed, memoryBytes);

    /// <summary>Makes a system call as the process would, and returns RAX.</summary>
    public static long Call(this GuestProcess p, string name, params ulong[] arguments) => p.Call(SyscallTable.Number(name), arguments);

    /// <summary>Makes a system call by number, and returns RAX (or <see cref="WaitQueue.RestartSyscall"/> when the call blocked).</summary>
    public static long Call(this GuestProcess p, long number, params ulong[] arguments)
    {
        Gpr[] order = [Gpr.Rdi, Gpr.Rsi, Gpr.Rdx, Gpr.R10, Gpr.R8, Gpr.R9];
        p.Cpu.SetRegister(Gpr.Rax, (ulong)number);
        for (int i = 0; i < order.Length; i++)
        {
            p.Cpu.SetRegister(order[i], i < arguments.Length ? arguments[i] : 0);
        }

        return SyscallDispatcher.Dispatch(p) ? (long)p.Cpu.GetRegister(Gpr.Rax) : WaitQueue.RestartSyscall;
    }

    /// <summary>Reads guest memory, ignoring permissions.</summary>
    public static byte[] Peek(this GuestProcess p, ulong address, int length)
    {
        var bytes = new byte[length];
        p.Memory.Space.Read(address, bytes);
        return bytes;
    }

    /// <summary>Writes guest memory, ignoring permissions.</summary>
    public static void Poke(this GuestProcess p, ulong address, ReadOnlySpan<byte> bytes) => p.Memory.Space.Write(address, bytes);

    /// <summary>Reads a 64-bit little-endian value, ignoring permissions.</summary>
    public static ulong Peek64(this GuestProcess p, ulong address) => BitConverter.ToUInt64(p.Peek(address, 8));
}
