using System.CommandLine;
using KmlSim.Guests;
using KmlSim.Timing.Profiles;

namespace KmlSim.Harness;

/// <summary>
/// <c>kmlsim sweep</c>: runs one workload at each value of one parameter and writes a CSV row per point,
/// mode and seed. A profile parameter runs Stock and Kml at each point (the profile changed with
/// <c>with</c>); the parameter <c>mode</c> runs the named kernel mode with the Opteron 850 profile.
/// </summary>
internal static class SweepCommand
{
    /// <summary>The CSV header: the point, the parameter and its value, then the columns of <c>compare --csv</c>.</summary>
    public static IReadOnlyList<string> Header { get; } =
        ["point", "parameter", "value", .. ComparisonCsv.FixedColumns, .. ComparisonCsv.BreakdownColumns];

    private static readonly Option<string> Parameter = new("--param")
    {
        HelpName = "NAME",
        Required = true,
        Description = $"'{SweepArguments.ModeParameter}' (values: kernel modes, each run alone) or a CpuProfile parameter (Stock and Kml at each point, " +
            $"the Opteron 850 profile with that one value changed): {string.Join(", ", ProfileParameter.Names)}",
    };

    private static readonly Option<IReadOnlyList<string>?> Values = CommandOptions.List("--values", "the values, one sweep point each", "A,B,...", required: true);

    private static readonly ChoiceOption<string> WorkloadName = new(
        "--workload", "the workload run at every point", WorkloadCatalog.Names.Select(name => (name, name)).ToArray(), SweepArguments.DefaultWorkload);

    private static readonly Option<long> Iterations = CommandOptions.WholeNumber(
        "--iterations", "microbenchmark iterations measured", WorkloadCatalog.DefaultIterations, maximum: 1_000_000_000);

    private static readonly Option<string?> Shard = new("--shard")
    {
        HelpName = "I/N",
        Description = "runs only points k with k mod N = I - 1 (1 <= I <= N), e.g. one task of a cluster job array; join the shards with merge",
    };

    private static readonly Option<string> Csv = new("--csv") { HelpName = "FILE", Required = true, Description = "where the rows go" };

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("sweep", "Runs one workload at each value of one parameter and writes a CSV row per point, mode and seed.")
        {
            Parameter, Values, WorkloadName, Iterations, Shard, Csv,
        };
        CommandOptions.AddAll(command, SeedOptions.Options);
        command.SetAction(parsed => Execute(Read(parsed), parsed.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>The arguments given on the command line; every value is checked before anything runs.</summary>
    /// <exception cref="UsageException">A parameter, value, shard or workload is wrong.</exception>
    public static SweepArguments Read(ParseResult parsed)
    {
        string parameter = parsed.GetRequiredValue(Parameter);
        IReadOnlyList<string> values = parsed.GetRequiredValue(Values)!;
        if (values.Distinct().Count() != values.Count)
        {
            throw new UsageException("--values lists a value twice");
        }

        foreach (string value in values)
        {
            // Checked now, so that a typo fails before any simulation runs.
            _ = parameter == SweepArguments.ModeParameter ? ModeNames.Parse(value) : ProfileParameter.Find(parameter).Parse(value);
        }

        Workload workload = WorkloadCatalog.Find(WorkloadName.Read(parsed), parsed.GetValue(Iterations));
        return new SweepArguments(parameter, values, workload, SweepArguments.ParseShard(parsed.GetValue(Shard)), SeedOptions.Read(parsed), parsed.GetRequiredValue(Csv));
    }

    /// <summary>Runs this shard's points and writes their rows.</summary>
    public static int Execute(SweepArguments arguments, TextWriter error)
    {
        int[] points = arguments.Points.ToArray();
        int modesPerPoint = arguments.Parameter == SweepArguments.ModeParameter ? 1 : ComparisonRunner.Modes.Count;
        long planned = arguments.Workload.EstimatedInstructions * points.Length * modesPerPoint * arguments.Seeds.Count;
        var rows = new List<IReadOnlyList<string>>();
        try
        {
            ProgressMeter.Show(error, planned, progress =>
            {
                new WorkloadRunner(CpuProfiles.Opteron850, progress).Prepare(arguments.Workload, arguments.Seeds);
                foreach (int point in points)
                {
                    rows.AddRange(RunPoint(arguments, point, progress));
                }

                return rows;
            });
        }
        catch (Exception problem) when (problem is WorkloadFailedException or GuestBuildException or IOException)
        {
            error.WriteLine($"kmlsim: {problem.Message}");
            return CompareCommand.WorkloadFailed;
        }

        return CompareCommand.WriteReports(error, () => CsvFile.Write(arguments.CsvPath, Header, rows));
    }

    private static IEnumerable<IReadOnlyList<string>> RunPoint(SweepArguments arguments, int point, ProgressMeter progress)
    {
        string value = arguments.Values[point];
        bool modeSweep = arguments.Parameter == SweepArguments.ModeParameter;
        CpuProfile profile = modeSweep ? CpuProfiles.Opteron850 : ProfileParameter.Find(arguments.Parameter).Apply(CpuProfiles.Opteron850, value);
        IReadOnlyList<KernelMode> modes = modeSweep ? [ModeNames.Parse(value)] : ComparisonRunner.Modes;
        var runner = new WorkloadRunner(profile, progress);
        var rows = new List<IReadOnlyList<string>>();
        foreach (KernelMode mode in modes)
        {
            foreach (int seed in arguments.Seeds)
            {
                Measurement m = runner.Measure(arguments.Workload, mode, seed);
                string pointText = point.ToString(System.Globalization.CultureInfo.InvariantCulture);
                rows.Add([pointText, arguments.Parameter, value, arguments.Workload.Name, ModeNames.Of(mode),
                    .. ComparisonCsv.Fields(seed, arguments.Workload.Operations, m, CostBreakdown.Categories)]);
            }
        }

        return rows;
    }
}
