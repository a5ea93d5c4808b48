using KmlSim.Execution;
using KmlSim.Isa;
using KmlSim.Kernel.Elf;
using KmlSim.Kernel.Files;

namespace KmlSim.Kernel.Process;

/// <summary>Loads an executable into a fresh process: what every kernel path (emulated or simulated) shares.</summary>
internal static class ProcessLoader
{
    /// <summary>Physical memory kept back for the stack's page tables (and the frame 0 never handed out).</summary>
    private const ulong StackTablesAndStrings = 64 * 1024;

    /// <summary>
    /// Builds a process from an executable image on <paramref name="hardware"/>: loader, stack (with
    /// AT_SYSINFO = <paramref name="systemInfoEntry"/> when non-zero), and user-mode registers at CPL 3.
    /// <paramref name="executablePath"/> is what /proc/self/exe names.
    /// </summary>
    /// <exception cref="ElfFormatException">The image is not a static x86-64 executable.</exception>
    public static GuestProcess Load(SnippetMachine hardware, VirtualFileSystem fileSystem, byte[] image, string path, string executablePath, IReadOnlyList<string> argv, IReadOnlyList<string> environment, byte[] stdin, int seed, ulong systemInfoEntry)
    {
        ElfFile elf = ElfFile.Parse(image);
        var memory = new ProcessMemory(hardware.Cpu, hardware.AddressSpace);
        LoadedImage loaded = MapImage(hardware.Cpu, elf, memory);
        var process = new GuestProcess(hardware.Cpu, memory, fileSystem, executablePath, stdin, seed);
        ulong rsp = BuildStack(process, memory, loaded, argv, environment, path, systemInfoEntry);

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
        return process;
    }

    /// <summary>Maps an executable's segments, its break and its stack into <paramref name="memory"/> (the loader part of exec).</summary>
    /// <exception cref="ElfFormatException">The image cannot be loaded.</exception>
    public static LoadedImage MapImage(Cpu cpu, ElfFile elf, ProcessMemory memory)
    {
        ulong reserved = ((ulong)cpu.Memory.AllocatedFrames * ProcessMemory.PageSize) + ProcessMemory.StackSize + StackTablesAndStrings;
        ulong available = cpu.Memory.SizeBytes > reserved ? cpu.Memory.SizeBytes - reserved : 0;
        LoadedImage loaded = ElfLoader.Load(elf, memory, available);
        memory.SetBreakBase(loaded.End);
        var stackProtection = Protection.Read | Protection.Write | (loaded.ExecutableStack ? Protection.Execute : 0);
        memory.Map(ProcessMemory.StackTop - ProcessMemory.StackSize, ProcessMemory.StackSize, stackProtection);
        return loaded;
    }

    /// <summary>Builds the initial stack (argv, envp, auxv with fresh AT_RANDOM bytes); returns the entry RSP.</summary>
    public static ulong BuildStack(GuestProcess process, ProcessMemory memory, LoadedImage loaded, IReadOnlyList<string> argv, IReadOnlyList<string> environment, string path, ulong systemInfoEntry)
    {
        var random = new byte[16];
        process.Random.NextBytes(random);
        return InitialStack.Build(memory, loaded, argv, environment, path, random, systemInfoEntry);
    }
}
