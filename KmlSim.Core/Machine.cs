using System.Diagnostics;
using KmlSim.Kernel;
using KmlSim.Kernel.Elf;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;
using KmlSim.KernelModes;
using KmlSim.Memory;

namespace KmlSim;

/// <summary>
/// The face researchers use: a simulated Opteron machine that runs one static x86-64 Linux program under
/// the kernel <see cref="MachineOptions.KernelMode"/> names: by default a simulated Linux whose system call
/// and interrupt paths are real x86-64 code (the bodies of the calls run in C#), or, as a fast functional
/// option, syscall emulation. A CPU exception ends the program with the signal Linux would send.
/// </summary>
/// <example>
/// <code>
/// var machine = new Machine(new MachineOptions());
/// machine.Start("guests/bin/demo", ["-n", "10"]);
/// RunResult r = machine.Run(RunLimits.Instructions(5_000_000_000));
/// Console.Write(Encoding.UTF8.GetString(r.Stdout));
/// </code>
/// </example>
public sealed class Machine
{
    private readonly MachineOptions options;
    private GuestProcess? process;
    private Observation.ITimingModel? timing;
    private SimulatedKernel? kernel;
    private RunResult? finalResult;
    private double hostSeconds;

    /// <summary>Where a host program outside the guest's root is shown to the guest: <c>/opt/kmlsim/bin/NAME</c>.</summary>
    public const string HostProgramDirectory = "/opt/kmlsim/bin/";

    /// <summary>Creates a machine.</summary>
    /// <exception cref="DirectoryNotFoundException"><see cref="MachineOptions.Root"/> is not a host directory.</exception>
    public Machine(MachineOptions? options = null)
    {
        this.options = options ?? new MachineOptions();
        var tree = new VirtualFileSystem(this.options.Seed);
        if (this.options.Root is { } root)
        {
            tree.ShowHostRoot(root, this.options.RootEntries);
        }

        FileSystem = new MachineFileSystem(tree);
    }

    /// <summary>The simulated file system: map host files into it before <see cref="Start"/>, read what the guest wrote after a run.</summary>
    public MachineFileSystem FileSystem { get; }

    /// <summary>
    /// Loads an x86-64 ELF executable (ET_EXEC or ET_DYN, static or dynamically linked: the interpreter comes
    /// from the guest's file system) and prepares it to run with argv = [guest path, ..<paramref name="arguments"/>]
    /// (or <see cref="MachineOptions.Argv0"/>) in <see cref="MachineOptions.WorkingDirectory"/>. The guest
    /// path, which is also AT_EXECFN and /proc/self/exe, never depends on where the file lies on the host:
    /// <paramref name="path"/> itself when it names a file in <see cref="FileSystem"/> (mapped, written, or
    /// in <see cref="MachineOptions.Root"/>); the file's place under the root when it is a host path inside
    /// the root; otherwise the host file is shown at <see cref="HostProgramDirectory"/>NAME. With
    /// <see cref="MachineOptions.Trusted"/> the program is shown at /trusted/bin/NAME instead.
    /// </summary>
    /// <exception cref="ElfFormatException">The file is not an x86-64 executable; the message says why.</exception>
    /// <exception cref="InterpreterNotFoundException">A dynamic executable's interpreter is not in the guest's file system.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="GuestMemoryExhaustedException">The program does not fit in the simulated memory.</exception>
    /// <exception cref="InvalidOperationException">A program was already started on this machine.</exception>
    /// <exception cref="ArgumentException">The arguments and environment exceed Linux's limit (a quarter of the 8 MiB stack), or the working directory cannot be made.</exception>
    public void Start(string path, IReadOnlyList<string>? arguments = null)
    {
        if (process is not null)
        {
            throw new InvalidOperationException("a program was already started on this machine");
        }

        string guestPath = GuestPathOf(path);
        byte[] image = FileSystem.ReadFile(guestPath);
        string[] argv = [options.Argv0 ?? guestPath, .. arguments ?? []];
        var hardware = new SnippetMachine(options.MemoryBytes);

        // The timing model attaches before the kernel boots, so that it is the timer's clock from the first tick
        // and sees every instruction, the entry and exit code included; it also meters the host-side bodies.
        timing = options.Timing?.Attach(hardware.Cpu);
        Observation.IKernelWorkMeter meter = timing ?? options.KernelWorkMeter;
        IKernelModePolicy? policy = options.KernelMode switch
        {
            KernelMode.Stock => new StockLinux(),
            KernelMode.Kml => new KernelModeLinux(),
            KernelMode.KmlWithoutIst => new KmlWithoutIst(),
            _ => null,
        };
        if (policy is null)
        {
            process = SyscallEmulationRunner.Exec(hardware, FileSystem.Tree, image, guestPath, guestPath, argv, options.Environment, options.Stdin, options.Seed);
        }
        else
        {
            // The guest path decides KML's ring 0 (under /trusted/).
            kernel = new SimulatedKernel(hardware, policy, meter, timing);
            process = kernel.Exec(FileSystem.Tree, image, guestPath, guestPath, guestPath, argv, options.Environment, options.Stdin, options.Seed);
        }

        process.KernelWork = meter;
        process.WorkingDirectory = FileSystem.Tree.MakeDirectories(options.WorkingDirectory);
    }

    /// <summary>The program interpreter a host executable names (PT_INTERP: it is dynamically linked), or null for a static one.</summary>
    /// <exception cref="ElfFormatException">The file is not an x86-64 executable.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static string? InterpreterOf(string hostPath) => ElfFile.Parse(File.ReadAllBytes(hostPath)).Interpreter;

    /// <summary>The guest path of the program <paramref name="path"/> names, showing a host file in the tree where it is not yet.</summary>
    private string GuestPathOf(string path)
    {
        Kernel.Files.Inode? node = FileSystem.Find(path) as FileNode;
        string? guestPath = node is not null ? path : null;
        string hostPath = "";
        if (node is null)
        {
            hostPath = Path.GetFullPath(path);
            if (!File.Exists(hostPath))
            {
                throw new FileNotFoundException($"no such file: {path}", path);
            }

            guestPath = FileSystem.Tree.GuestPathOfHostFile(hostPath);
            node = guestPath is not null ? FileSystem.Find(guestPath) as FileNode : null;
        }

        if (options.Trusted && !(guestPath ?? "").StartsWith(KernelModeLinux.TrustedPrefix, StringComparison.Ordinal))
        {
            string trusted = KernelModeLinux.TrustedPrefix + "bin/" + Path.GetFileName(path);
            if (node is not null)
            {
                FileSystem.Tree.Place(trusted, node); // a second name for the same file, as `ln` makes
            }
            else
            {
                FileSystem.MapHostFile(trusted, hostPath);
            }

            return trusted;
        }

        if (guestPath is not null && node is not null)
        {
            return guestPath;
        }

        string shown = HostProgramDirectory + Path.GetFileName(hostPath);
        FileSystem.MapHostFile(shown, hostPath);
        return shown;
    }

    /// <summary>
    /// Makes the host send <paramref name="signal"/> (e.g. 2, SIGINT, as a Ctrl-C would) to the program once
    /// <paramref name="atInstruction"/> instructions have retired since the machine was built.
    /// </summary>
    /// <exception cref="InvalidOperationException">No program was started, or it runs under syscall emulation (no kernel to take the interrupt).</exception>
    public void SendSignalAt(int signal, long atInstruction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(signal, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(signal, 64);
        SimulatedKernel k = kernel ?? throw new InvalidOperationException("host signals need a started program under a simulated kernel");
        k.SendSignalAt(signal, atInstruction);
    }

    /// <summary>
    /// Runs the started program until it ends or the limit is reached. After <see cref="RunOutcome.Limit"/>
    /// another call continues; after any other outcome the same result is returned again.
    /// </summary>
    /// <exception cref="InvalidOperationException">No program was started.</exception>
    public RunResult Run(RunLimits limits)
    {
        GuestProcess p = process ?? throw new InvalidOperationException("start a program before running the machine");
        if (finalResult is not null)
        {
            return finalResult;
        }

        var watch = Stopwatch.StartNew();
        ProcessStop stop;
        try
        {
            stop = kernel is not null ? kernel.Run(limits.MaxInstructions) : SyscallEmulationRunner.Run(p, limits.MaxInstructions);
        }
        catch (GuestMemoryExhaustedException exhausted)
        {
            stop = new ProcessStop(RunOutcome.Error, Message: exhausted.Message);
        }

        hostSeconds += watch.Elapsed.TotalSeconds;
        IReadOnlyList<ProcessResult> processes;
        IReadOnlyDictionary<string, long> syscallsByName;
        if (kernel is not null)
        {
            processes = kernel.ProcessResults();
            syscallsByName = kernel.SyscallsByName();
        }
        else
        {
            p.Instructions = p.Cpu.InstructionsRetired; // (one process, which ran every instruction)
            processes = [p.ToResult()];
            syscallsByName = processes[0].SyscallsByName;
        }

        var result = new RunResult
        {
            Outcome = stop.Outcome,
            ExitCode = p.ExitCode,
            Signal = stop.Signal,
            Instructions = p.Cpu.InstructionsRetired,
            HostSeconds = hostSeconds,
            Stdout = p.Stdout.ToArray(),
            Stderr = p.Stderr.ToArray(),
            Syscalls = kernel?.Syscalls ?? p.SyscallCount,
            TranslatedSyscalls = p.Cpu.TranslatedSyscalls,
            TimerInterrupts = kernel?.Ticks ?? 0,
            SyscallInstructions = p.Cpu.SyscallInstructions,
            SysretInstructions = p.Cpu.SysretInstructions,
            SwapgsInstructions = p.Cpu.SwapgsInstructions,
            ContextSwitches = kernel?.ContextSwitches ?? 0,
            UnimplementedSyscalls = new Dictionary<string, long>(p.UnimplementedSyscalls),
            SyscallsByName = syscallsByName,
            Processes = processes,
            Message = stop.Message,
            Timing = timing?.Report(),
        };
        if (stop.Outcome != RunOutcome.Limit)
        {
            finalResult = result;
        }

        return result;
    }
}
