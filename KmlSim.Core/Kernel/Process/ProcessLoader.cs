using KmlSim.Execution;
using KmlSim.Isa;
using KmlSim.Kernel.Elf;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Vdso;

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
        LoadedImage loaded = MapImage(hardware.Cpu, elf, memory, fileSystem);
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
        cpu.Rip = loaded.Start;
        cpu.Rflags = RFlags.Reserved1 | RFlags.IF;
        cpu.Cpl = 3;
        return process;
    }

    /// <summary>
    /// Maps an executable's segments, its program interpreter (PT_INTERP, looked up in
    /// <paramref name="fileSystem"/> from its root, as open_exec does), its break and its stack into
    /// <paramref name="memory"/> (the loader part of exec), and the vDSO below them. A dynamic program starts in the interpreter.
    /// </summary>
    /// <exception cref="ElfFormatException">The image or its interpreter cannot be loaded.</exception>
    /// <exception cref="InterpreterNotFoundException">The interpreter is not in the file system.</exception>
    public static LoadedImage MapImage(Cpu cpu, ElfFile elf, ProcessMemory memory, VirtualFileSystem fileSystem)
    {
        LoadedImage loaded = ElfLoader.Load(elf, memory, Available(cpu));
        if (elf.Interpreter is { } path)
        {
            ElfFile interpreter = ElfFile.Parse(ReadInterpreter(fileSystem, path));
            if (interpreter.Interpreter is not null)
            {
                throw new ElfFormatException($"the interpreter {path} has an interpreter of its own"); // (Linux: ELIBBAD)
            }

            LoadedImage linker = ElfLoader.Load(interpreter, memory, Available(cpu), interpreter: true);
            loaded = loaded with { Start = linker.Start, InterpreterBase = linker.Bias };
        }

        loaded = loaded with { SystemInfoHeader = VdsoImage.MapInto(memory) };

        memory.SetBreakBase(loaded.End);
        var stackProtection = Protection.Read | Protection.Write | (loaded.ExecutableStack ? Protection.Execute : 0);
        memory.Map(ProcessMemory.StackTop - ProcessMemory.StackSize, ProcessMemory.StackSize, stackProtection);
        return loaded;
    }

    /// <summary>Physical memory left for an image once the stack and its tables are set aside.</summary>
    private static ulong Available(Cpu cpu)
    {
        ulong reserved = ((ulong)cpu.Memory.AllocatedFrames * ProcessMemory.PageSize) + ProcessMemory.StackSize + StackTablesAndStrings;
        return cpu.Memory.SizeBytes > reserved ? cpu.Memory.SizeBytes - reserved : 0;
    }

    /// <summary>The bytes of the interpreter file at <paramref name="path"/> (links followed).</summary>
    private static byte[] ReadInterpreter(VirtualFileSystem fileSystem, string path)
    {
        if (fileSystem.Resolve(path).Node is not FileNode file || (file is HostFile host && !host.TryLoad()))
        {
            throw new InterpreterNotFoundException(path);
        }

        var bytes = new byte[file.Size];
        file.Read(0, bytes);
        return bytes;
    }

    /// <summary>Builds the initial stack (argv, envp, auxv with fresh AT_RANDOM bytes); returns the entry RSP.</summary>
    public static ulong BuildStack(GuestProcess process, ProcessMemory memory, LoadedImage loaded, IReadOnlyList<string> argv, IReadOnlyList<string> environment, string path, ulong systemInfoEntry)
    {
        var random = new byte[16];
        process.Random.NextBytes(random);
        return InitialStack.Build(memory, loaded, argv, environment, path, random, systemInfoEntry);
    }
}
