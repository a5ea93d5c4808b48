using System.Diagnostics;
using KmlSim.Kernel.Elf;
using KmlSim.Kernel.Process;
using KmlSim.Memory;

namespace KmlSim;

/// <summary>
/// The face researchers use: a simulated Opteron machine that runs one static x86-64 Linux program.
/// System calls are serviced by the host (syscall emulation); a CPU exception ends the program with the
/// signal Linux would send.
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
    private RunResult? finalResult;
    private double hostSeconds;

    /// <summary>Creates a machine.</summary>
    public Machine(MachineOptions? options = null)
    {
        this.options = options ?? new MachineOptions();
    }

    /// <summary>
    /// Loads a static x86-64 ELF executable (ET_EXEC or static-PIE) from the host file system and prepares
    /// it to run with argv = [<paramref name="path"/>, ..<paramref name="arguments"/>].
    /// </summary>
    /// <exception cref="ElfFormatException">The file is not a static x86-64 executable; the message says why.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="GuestMemoryExhaustedException">The program does not fit in the simulated memory.</exception>
    /// <exception cref="InvalidOperationException">A program was already started on this machine.</exception>
    /// <exception cref="ArgumentException">The arguments and environment exceed Linux's limit (a quarter of the 8 MiB stack).</exception>
    public void Start(string path, IReadOnlyList<string>? arguments = null)
    {
        if (process is not null)
        {
            throw new InvalidOperationException("a program was already started on this machine");
        }

        byte[] image = File.ReadAllBytes(path);
        string[] argv = [path, .. arguments ?? []];
        var hardware = new SnippetMachine(options.MemoryBytes);
        timing = options.Timing?.Attach(hardware.Cpu);
        process = SyscallEmulationRunner.Exec(hardware, image, path, argv, options.Environment, options.Stdin, options.Seed);
        if (timing is not null)
        {
            process.KernelWork = timing;
        }
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
            stop = SyscallEmulationRunner.Run(p, limits.MaxInstructions);
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
            Syscalls = p.SyscallCount,
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
