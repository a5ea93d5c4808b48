using KmlSim.Execution;
using KmlSim.Kernel.Elf;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Syscalls;
using KmlSim.Observation;

namespace KmlSim.Kernel.Process;

/// <summary>
/// Runs a process in syscall-emulation mode (as gem5 calls it): the CPU executes user code at CPL 3 and
/// stops at every SYSCALL, which is serviced in C# without simulated kernel code; an exception ends the
/// process with the signal Linux would deliver.
/// </summary>
internal static class SyscallEmulationRunner
{
    /// <summary>
    /// Builds a process from an executable image on <paramref name="hardware"/> that stops at every SYSCALL.
    /// <paramref name="executablePath"/> is what /proc/self/exe names.
    /// </summary>
    /// <exception cref="ElfFormatException">The image is not a static x86-64 executable.</exception>
    public static GuestProcess Exec(SnippetMachine hardware, VirtualFileSystem fileSystem, byte[] image, string path, string executablePath, IReadOnlyList<string> argv, IReadOnlyList<string> environment, byte[] stdin, int seed)
    {
        GuestProcess process = ProcessLoader.Load(hardware, fileSystem, image, path, executablePath, argv, environment, stdin, seed, systemInfoEntry: 0);
        hardware.Cpu.SyscallExits = true;
        return process;
    }

    /// <summary>Runs until the process ends or <paramref name="maxInstructions"/> more instructions retire.</summary>
    public static ProcessStop Run(GuestProcess process, long maxInstructions)
    {
        Cpu cpu = process.Cpu;
        long target = maxInstructions >= long.MaxValue - cpu.InstructionsRetired ? long.MaxValue : cpu.InstructionsRetired + maxInstructions;
        while (process.Ending is null)
        {
            long remaining = target - cpu.InstructionsRetired;
            if (remaining <= 0)
            {
                return new ProcessStop(RunOutcome.Limit, Message: $"instruction limit reached at 0x{cpu.Rip:x}");
            }

            switch (cpu.Run(remaining))
            {
                case StopReason.Syscall:
                    // The body runs on the host; its cycles come from the work meter, charged with the bytes it copied.
                    SyscallEntry call = SyscallTable.Of((long)cpu.GetRegister(Isa.Gpr.Rax));
                    long copiedBefore = process.User.BytesCopied;
                    process.IoTarget = IoTarget.Unspecified;
                    process.CountSyscall(call.Number);
                    process.KernelWork.BeginSyscall(call.Identity);
                    if (!SyscallDispatcher.Dispatch(process, call, null, null))
                    {
                        process.Fail("the process blocked in a system call, and syscall emulation runs no other process that could wake it");
                    }

                    process.KernelWork.Charge(call.Identity, process.User.BytesCopied - copiedBefore, process.IoTarget);

                    break;
                case StopReason.Fault:
                    var fault = cpu.LastFault!;
                    process.Kill(FatalSignal.For(fault.Vector), FatalSignal.Describe(cpu, fault));
                    break;
                case StopReason.Halted:
                    // HLT is privileged: at CPL 3 the CPU raises #GP, which Linux turns into SIGSEGV.
                    process.Kill(FatalSignal.SegmentationFault, $"SIGSEGV (HLT in user mode) at 0x{cpu.Rip:x}");
                    break;
                case StopReason.StopRequested:
                    return new ProcessStop(RunOutcome.Limit, Message: "stopped at the host's request");
                case StopReason.TripleFault:
                    // Unreachable while no IDT is loaded (LIDT needs CPL 0), but a shutdown ends the run whatever runs.
                    return new ProcessStop(RunOutcome.TripleFault, Message: cpu.LastTripleFault?.ToString());
            }
        }

        return process.Ending.Value;
    }
}
