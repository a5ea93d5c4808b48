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

    /// <summary>Creates a machine.</summary>
    public Machine(MachineOptions? options = null)
    {
        this.options = options ?? new MachineOptions();
        FileSystem = new MachineFileSystem(new VirtualFileSystem(this.options.Seed));
    }

    /// <summary>The simulated file system: map host files into it before <see cref="Start"/>, read what the guest wrote after a run.</summary>
    public MachineFileSystem FileSystem { get; }

    /// <summary>
    /// Loads a static x86-64 ELF executable (ET_EXEC or static-PIE) and prepares it to run with
    /// argv = [<paramref name="path"/>, ..<paramref name="arguments"/>] in <see cref="MachineOptions.WorkingDirectory"/>.
    /// An absolute path that names a file in <see cref="FileSystem"/> (mapped or written there) is loaded
    /// from the simulation and is what /proc/self/exe names; any other path is read from the host.
    /// </summary>
    /// <exception cref="ElfFormatException">The file is not a static x86-64 executable; the message says why.</exception>
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

        bool simulated = FileSystem.Find(path) is FileNode;
        byte[] image = simulated ? FileSystem.ReadFile(path) : File.ReadAllBytes(path);
        string[] argv = [path, .. arguments ?? []];
        var hardware = new SnippetMachine(options.MemoryBytes);
        string executable = simulated ? path : Path.GetFullPath(path);

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
            process = SyscallEmulationRunner.Exec(hardware, FileSystem.Tree, image, path, executable, argv, options.Environment, options.Stdin, options.Seed);
        }
        else
        {
            // The path the kernel sees decides KML's ring 0: a file of the simulated file system by its own
            // path (e.g. mapped under /trusted/), a host file by its name under /trusted/bin/ when Trusted.
            string guestPath = options.Trusted && !simulated ? KernelModeLinux.TrustedPrefix + "bin/" + Path.GetFileName(path) : executable;
            kernel = new SimulatedKernel(hardware, policy, meter, timing);
            process = kernel.Exec(FileSystem.Tree, image, path, executable, guestPath, argv, options.Environment, options.Stdin, options.Seed);
        }

        process.KernelWork = meter;
        process.WorkingDirectory = FileSystem.Tree.MakeDirectories(options.WorkingDirectory);
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
