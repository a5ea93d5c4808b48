using System.CommandLine;
using KmlSim.Guests;
using KmlSim.Timing.Profiles;

namespace KmlSim.Harness;

/// <summary>
/// <c>kmlsim compare</c>: runs each workload under Stock and Kml with the Opteron 850 timing model and
/// prints cycles total/user/system per mode, the change, the system calls and the cycles saved per call.
/// </summary>
internal static class CompareCommand
{
    /// <summary>Exit status when a workload could not be built or did not run to a clean exit.</summary>
    public const int WorkloadFailed = 1;

    private static readonly Option<IReadOnlyList<string>?> Workloads = CommandOptions.List(
        "--workloads", $"the workloads, from: {string.Join(", ", WorkloadCatalog.Names)} (default: {string.Join(",", WorkloadCatalog.DefaultSet)})", "LIST");

    private static readonly Option<long> Iterations = CommandOptions.WholeNumber(
        "--iterations", "microbenchmark iterations measured: each runs N + N/10 and N/10 times and the difference is reported",
        WorkloadCatalog.DefaultIterations, maximum: 1_000_000_000);

    private static readonly Option<string?> Elf = new("--elf")
    {
        HelpName = "PATH",
        Description = "also (or, without --workloads, only) compares your own static x86-64 executable, run whole as a trusted program; its arguments follow the options",
    };

    private static readonly GuestProgramArgument ElfArguments = new("arguments", "ARGS", "the arguments of the --elf program", required: false);

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("compare", """
            Runs each workload under Stock and under Kml (as a trusted program under /trusted) with the Opteron 850
            timing model; prints cycles total/user/system per mode, the change, system calls per mode and the
            cycles saved per system call. Progress goes to stderr.
            """)
        {
            Workloads, Iterations, Elf, ElfArguments,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(ElfArguments) is { Tokens: [var first, ..] } && result.GetResult(Elf) is null)
            {
                result.AddError(first.Value.StartsWith('-') ? Suggestions.UnknownOption(first.Value, result.Command) : "program arguments need --elf PATH");
            }
        });
        CommandOptions.AddAll(command, ProfileOptions.Options);
        CommandOptions.AddAll(command, SeedOptions.Options);
        CommandOptions.AddAll(command, ReportOptions.Options);
        command.SetAction(parsed => Execute(Read(parsed), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>The arguments given on the command line.</summary>
    /// <exception cref="UsageException">A workload is unknown or named twice.</exception>
    public static CompareArguments Read(ParseResult parsed)
    {
        long iterations = parsed.GetValue(Iterations);
        string? elf = parsed.GetValue(Elf);
        IReadOnlyList<string> names = parsed.GetValue(Workloads) ?? (elf is null ? WorkloadCatalog.DefaultSet : []);
        if (names.Distinct().Count() != names.Count)
        {
            throw new UsageException("--workloads names a workload twice");
        }

        List<Workload> workloads = names.Select(name => WorkloadCatalog.Find(name, iterations)).ToList();
        if (elf is not null)
        {
            workloads.Add(File.Exists(elf) ? WorkloadCatalog.Program(elf, parsed.GetValue(ElfArguments) ?? []) : throw new UsageException($"--elf {elf}: no such file"));
        }

        return new CompareArguments(workloads, SeedOptions.Read(parsed), ReportOptions.Read(parsed), ProfileOptions.Read(parsed));
    }

    /// <summary>Runs the comparison; the table goes to <paramref name="output"/>, progress and problems to <paramref name="error"/>.</summary>
    public static int Execute(CompareArguments arguments, TextWriter output, TextWriter error)
    {
        CpuProfile profile = arguments.Profile;
        IReadOnlyList<WorkloadComparison>? comparisons = Compare(profile, arguments.Workloads, arguments.Seeds, error);
        if (comparisons is null)
        {
            return WorkloadFailed;
        }

        foreach (WorkloadComparison comparison in comparisons)
        {
            output.Write(ComparisonTable.ForWorkload(comparison).RenderAligned(TextTable.WidthFor(output)));
        }

        foreach (string note in ComparisonTable.Notes(comparisons, profile))
        {
            output.WriteLine(note);
        }

        return WriteReports(error, () =>
        {
            arguments.Reports.WriteCommon(comparisons, profile, "kmlsim compare: Stock vs Kernel Mode Linux");
            if (arguments.Reports.Json is { } json)
            {
                ComparisonJson.Write(json, comparisons, profile);
            }
        });
    }

    /// <summary>Runs the comparison with progress on <paramref name="error"/>; null (after saying why) when a workload failed.</summary>
    public static IReadOnlyList<WorkloadComparison>? Compare(CpuProfile profile, IReadOnlyList<Workload> workloads, IReadOnlyList<int> seeds, TextWriter error)
    {
        try
        {
            return ProgressMeter.Show(error, ComparisonRunner.PlannedInstructions(workloads, seeds), progress => ComparisonRunner.Run(new WorkloadRunner(profile, progress), workloads, seeds));
        }
        catch (Exception problem) when (problem is WorkloadFailedException or GuestBuildException or IOException or Kernel.Elf.ElfFormatException)
        {
            error.WriteLine($"kmlsim: {problem.Message}");
            return null;
        }
    }

    /// <summary>Runs <paramref name="write"/>, turning a file that cannot be written into a message and the usage status.</summary>
    public static int WriteReports(TextWriter error, Action write)
    {
        try
        {
            write();
            return 0;
        }
        catch (Exception problem) when (problem is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"kmlsim: cannot write a report: {problem.Message}");
            return CommandLine.UsageError;
        }
    }
}
