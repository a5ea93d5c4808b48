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

    private static readonly Option<string?> Root = new("--root")
    {
        HelpName = "DIR",
        Description = "shows the host directory DIR read-only as / (its /dev, /proc, /sys, /tmp stay simulated; new top-level files are in memory). Default: a static program an empty root, a dynamic one the host's /usr, /lib*, /bin, /sbin and /etc",
    };

    private static readonly Option<string?> Argv0 = new("--argv0") { HelpName = "NAME", Description = "the guest's argv[0] (default: its guest path)" };

    private static readonly Option<IReadOnlyList<string>> Env = new("--env")
    {
        HelpName = "K=V",
        Description = "adds K=V to the guest's environment, which is otherwise empty (repeatable)",
        Arity = ArgumentArity.ZeroOrMore,
        DefaultValueFactory = _ => [],
        CustomParser = result =>
        {
            var environment = new List<string>();
            foreach (string value in result.Tokens.Select(token => token.Value))
            {
                if (value.IndexOf('=') > 0)
                {
                    environment.Add(value);
                }
                else
                {
                    result.AddError($"--env needs NAME=VALUE, not '{value}'");
                }
            }

            return environment;
        },
    };

    private static readonly Option<string> Cwd = new("--cwd")
    {
        HelpName = "DIR",
        Description = "the guest's working directory, an absolute guest path (default /)",
        DefaultValueFactory = _ => "/",
        CustomParser = result =>
        {
            string value = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "/";
            if (!value.StartsWith('/'))
            {
                result.AddError($"--cwd needs an absolute guest path, not '{value}'");
            }

            return value;
        },
    };

    private static readonly Option<long> Seed = CommandOptions.WholeNumber("--seed", "seeds AT_RANDOM, getrandom and /dev/urandom", 0, minimum: 0, maximum: int.MaxValue);

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

    private static readonly GuestProgramArgument Program = new("program", "ELF [ARGS...]", "the x86-64 Linux executable (ET_EXEC or PIE, static or dynamic, glibc or musl) and its arguments", required: true);

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("run", """
            Runs an x86-64 Linux executable (static or dynamically linked) in the simulator; its stdout and stderr
            become kmlsim's. The exit status is the guest's exit code, 128 + signal when a signal killed it, 124 when
            the instruction limit was reached, 125 when the simulator itself could not go on, 2 for bad arguments or
            a file that is not an x86-64 executable. The guest sees the program at its guest path (under the root, or
            /opt/kmlsim/bin/NAME), never where it lies on the host. kmlsim's options end at the program: what follows
            is the guest's.
            """)
        {
            Mode, Trusted, SigintAfter, Stdin, Map, Root, Argv0, Env, Cwd, Seed, Timing, Json, OutDir, MaxInstructions, Program,
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
            Root = parsed.GetValue(Root),
            Argv0 = parsed.GetValue(Argv0),
            Environment = parsed.GetRequiredValue(Env),
            WorkingDirectory = parsed.GetRequiredValue(Cwd),
            Seed = (int)parsed.GetValue(Seed),
        };
    }

    /// <summary>
    /// Runs the guest described by <paramref name="arguments"/>. A dynamically linked program without
    /// <c>--root</c> gets the host's /usr, /lib*, /bin, /sbin and /etc read-only, which the first line on
    /// <paramref name="error"/> says; a static one an empty root (only the simulated /dev, /proc, /tmp).
    /// </summary>
    public static int Execute(RunArguments arguments, TextWriter error)
    {
        Machine machine;
        try
        {
            byte[] stdin = arguments.StdinPath is { } file ? File.ReadAllBytes(file) : Console.IsInputRedirected ? ReadStdin() : [];
            string? root = arguments.Root;
            IReadOnlyList<string>? rootEntries = null;
            if (root is null && Machine.InterpreterOf(arguments.Program) is { } interpreter)
            {
                root = "/";
                rootEntries = MachineOptions.HostSystemEntries;
                error.WriteLine($"kmlsim: {arguments.Program} is dynamically linked ({interpreter}): the guest sees the host's /usr, /lib*, /bin, /sbin and /etc read-only (/dev, /proc, /sys, /tmp simulated; --root DIR to choose)");
            }

            machine = new Machine(new MachineOptions
            {
                Stdin = stdin,
                KernelMode = arguments.Mode,
                Trusted = arguments.Trusted,
                Timing = arguments.Timing,
                Root = root,
                RootEntries = rootEntries,
                Argv0 = arguments.Argv0,
                Environment = arguments.Environment,
                WorkingDirectory = arguments.WorkingDirectory,
                Seed = arguments.Seed,
            });
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
