using System.CommandLine;
using KmlSim.Kernel.Elf;
using KmlSim.Timing.Profiles;

namespace KmlSim.Harness;

/// <summary><c>kmlsim run</c>: runs a guest, forwards its output, reports, and exits with its status.</summary>
internal static class RunCommand
{
    /// <summary>Exit status when the instruction limit stopped the guest (as timeout(1)).</summary>
    public const int LimitStatus = 124;

    /// <summary>Exit status when the simulator could not go on (as timeout(1) when it fails itself).</summary>
    public const int ErrorStatus = 125;

    private static readonly ChoiceOption<KernelMode> Mode = new("--mode", $"the kernel: {ModeNames.Described}", ModeNames.Choices, ModeNames.Of(KernelMode.Stock));

    private static readonly Option<bool> Trusted = new("--trusted") { Description = "runs the program as /trusted/bin/NAME" };

    private static readonly Option<long?> SigintAfter = CommandOptions.OptionalWholeNumber("--sigint-after", "the host sends SIGINT after N instructions, as a Ctrl-C would");

    private static readonly Option<string?> Stdin = new("--stdin") { HelpName = "FILE", Description = "the guest's standard input (default: kmlsim's, if redirected)" };

    private static readonly Option<IReadOnlyList<(string Host, string Guest)>> Map = new("--map")
    {
        HelpName = "HOSTDIR=GUESTDIR",
        Description = "maps a host directory read-only into the guest's file system (repeatable)",
        Arity = ArgumentArity.ZeroOrMore,
        DefaultValueFactory = _ => [],
        CustomParser = result =>
        {
            var mappings = new List<(string, string)>();
            foreach (string value in result.Tokens.Select(token => token.Value))
            {
                if (value.IndexOf('=') is > 0 and int at && at < value.Length - 1)
                {
                    mappings.Add((value[..at], value[(at + 1)..]));
                }
                else
                {
                    result.AddError($"--map needs HOSTDIR=GUESTDIR, not '{value}'");
                }
            }

            return mappings;
        },
    };

    private static readonly ChoiceOption<CpuProfile?> Timing = new(
        "--timing", "opteron850 charges cycles with the Opteron 850 (K8) timing model, opteron2378 with the family 10h Opteron 2378's; none is functional simulation only (fastest; no cycles)",
        [(CpuProfiles.Opteron850.Name, CpuProfiles.Opteron850), (CpuProfiles.Opteron2378.Name, CpuProfiles.Opteron2378), ("none", null)], CpuProfiles.Opteron850.Name);

    private static readonly Option<string?> Json = new("--json") { HelpName = "FILE", Description = "writes a JSON report of the run to FILE" };

    private static readonly Option<string?> OutDir = new("--outdir")
    {
        HelpName = "DIR",
        Description = "writes config.json (version, commit, options, profile, host) and stats.json (the JSON report) to DIR (created if needed)",
    };

    private static readonly Option<long?> MaxInstructions = CommandOptions.OptionalWholeNumber("--max-instructions", "stops the guest after N instructions");

    private static readonly GuestProgramArgument Program = new("program", "ELF [ARGS...]", "the static x86-64 Linux executable (ET_EXEC or static-PIE, glibc or musl) and its arguments", required: true);

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("run", """
            Runs a static x86-64 Linux executable in the simulator; its stdout and stderr become kmlsim's. The exit
            status is the guest's exit code, 128 + signal when a signal killed it, 124 when the instruction limit
            was reached, 125 when the simulator itself could not go on, 2 for bad arguments or a file that is not
            a static x86-64 executable. kmlsim's options end at the program: what follows is the guest's.
            """)
        {
            Mode, Trusted, SigintAfter, Stdin, Map, Timing, Json, OutDir, MaxInstructions, Program,
        };
        CommandOptions.AddAll(command, ProfileOptions.Options);
        command.Validators.Add(result =>
        {
            // Read from the tokens: a value with its own error must not be converted here.
            if (result.GetResult(SigintAfter) is not null && result.GetResult(Mode)?.Tokens is [.., var mode] && mode.Value == ModeNames.Of(KernelMode.SyscallEmulation))
            {
                result.AddError("--sigint-after needs a simulated kernel (not --mode emulation)");
            }

            if (result.GetResult(Timing)?.Tokens is [.., var timing] && timing.Value == "none" && result.GetResult(ProfileOptions.SetOption) is not null)
            {
                result.AddError("--set changes the timing profile: it cannot go with --timing none");
            }
        });
        command.SetAction(parsed => Execute(Read(parsed), parsed.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>The arguments given on the command line.</summary>
    public static RunArguments Read(ParseResult parsed)
    {
        string[] program = parsed.GetRequiredValue(Program);
        string? outDir = parsed.GetValue(OutDir);
        CpuProfile? timing = Timing.Read(parsed) is { } profile ? ProfileOptions.Apply(profile, parsed) : null;
        string? json = parsed.GetValue(Json) ?? (outDir is null ? null : Path.Combine(outDir, "stats.json"));
        return new RunArguments(program[0], program[1..], json, parsed.GetValue(MaxInstructions), timing)
        {
            OutDir = outDir,
            Configuration = outDir is null ? null : RunConfiguration.Of(parsed, timing),
            Mode = Mode.Read(parsed),
            Trusted = parsed.GetValue(Trusted),
            SigintAfter = parsed.GetValue(SigintAfter),
            StdinPath = parsed.GetValue(Stdin),
            Mappings = parsed.GetRequiredValue(Map),
        };
    }

    /// <summary>Runs the guest described by <paramref name="arguments"/>.</summary>
    public static int Execute(RunArguments arguments, TextWriter error)
    {
        Machine machine;
        try
        {
            byte[] stdin = arguments.StdinPath is { } file ? File.ReadAllBytes(file) : Console.IsInputRedirected ? ReadStdin() : [];
            machine = new Machine(new MachineOptions { Stdin = stdin, KernelMode = arguments.Mode, Trusted = arguments.Trusted, Timing = arguments.Timing });
            foreach ((string host, string guest) in arguments.Mappings)
            {
                machine.FileSystem.MapHostDirectory(guest, host);
            }

            machine.Start(arguments.Program, arguments.GuestArguments);
            if (arguments.SigintAfter is { } sigintAt)
            {
                machine.SendSignalAt(2, sigintAt);
            }
        }
        catch (Exception problem) when (problem is ElfFormatException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            error.WriteLine($"kmlsim: cannot run {arguments.Program}: {problem.Message}");
            return CommandLine.UsageError;
        }

        RunResult result = machine.Run(arguments.MaxInstructions is { } n ? RunLimits.Instructions(n) : RunLimits.None);
        using (Stream stdout = Console.OpenStandardOutput())
        {
            stdout.Write(result.Stdout);
        }

        using (Stream stderr = Console.OpenStandardError())
        {
            stderr.Write(result.Stderr);
        }

        int status = result.ShellExitStatus ?? (result.Outcome == RunOutcome.Limit ? LimitStatus : ErrorStatus);
        if (result.Message is not null)
        {
            error.WriteLine($"kmlsim: {result.Message}");
        }

        if (arguments.JsonPath is { } path)
        {
            try
            {
                if (arguments.OutDir is { } directory)
                {
                    Directory.CreateDirectory(directory);
                    arguments.Configuration?.Write(directory);
                }

                JsonReport.Write(path, result, status);
            }
            catch (Exception problem) when (problem is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"kmlsim: cannot write the JSON report {path}: {problem.Message}");
                return CommandLine.UsageError;
            }
        }

        return status;
    }

    private static byte[] ReadStdin()
    {
        using var buffer = new MemoryStream();
        Console.OpenStandardInput().CopyTo(buffer);
        return buffer.ToArray();
    }
}
