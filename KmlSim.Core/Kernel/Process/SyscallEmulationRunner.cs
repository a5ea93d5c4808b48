using KmlSim.Execution;
using KmlSim.Isa;
using KmlSim.Kernel.Elf;
using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel.Process;

/// <summary>
/// Runs a process in syscall-emulation mode (as gem5 calls it): the CPU executes user code at CPL 3 and
/// stops at every SYSCALL, which is serviced in C# without simulated kernel code; an exception ends the
/// process with the signal Linux would deliver.
/// </summary>
internal static class SyscallEmulationRunner
{
    /// <summary>Physical memory kept back for the stack's page tables (and the frame 0 never handed out).</summary>
    private const ulong StackTablesAndStrings = 64 * 1024;

    /// <summary>Builds a process from an executable image on <paramref name="hardware"/>: loader, stack, registers.</summary>
    /// <exception cref="ElfFormatException">The image is not a static x86-64 executable.</exception>
    public static GuestProcess Exec(SnippetMachine hardware, byte[] image, string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, byte[] stdin, int seed)
    {
        ElfFile elf = ElfFile.Parse(image);
        var memory = new ProcessMemory(hardware.Cpu, hardware.AddressSpace);
        ulong reserved = ((ulong)hardware.Memory.AllocatedFrames * ProcessMemory.PageSize) + ProcessMemory.StackSize + StackTablesAndStrings;
        ulong available = hardware.Memory.SizeBytes > reserved ? hardware.Memory.SizeBytes - reserved : 0;
        LoadedImage loaded = ElfLoader.Load(elf, memory, available);
        memory.SetBreakBase(loaded.End);
        var stackProtection = Protection.Read | Protection.Write | (loaded.ExecutableStack ? Protection.Execute : 0);
        memory.Map(ProcessMemory.StackTop - ProcessMemory.StackSize, ProcessMemory.StackSize, stackProtection);

        var process = new GuestProcess(hardware.Cpu, memory, Path.GetFullPath(path), stdin, seed);
        var random = new byte[16];
        process.Random.NextBytes(random);
        ulong rsp = InitialStack.Build(memory, loaded, argv, environment, path, random);

        // Linux enters a new program with every register zero but RSP (RDX = 0: no dynamic-linker
        // finaliser for a static program) and with interrupts enabled.
        Cpu cpu = hardware.Cpu;
        for (int r = 0; r < 16; r++)
        {
            cpu.SetRegister((Gpr)r, 0);
        }

        cpu.SetRegister(Gpr.Rsp, rsp);
        cpu.Rip = loaded.Entry;
        cpu.Rflags = RFlags.Reserved1 | RFlags.IF;
        cpu.Cpl = 3;
        cpu.SyscallExits = true;
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
                    // The body runs on the host; its cycles come from the work meter (bytes copied are not tracked in
                    // syscall-emulation mode, so only the per-call base cost is charged).
                    process.KernelWork.Charge((int)cpu.GetRegister(Isa.Gpr.Rax), 0);
                    SyscallDispatcher.Dispatch(process);
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
