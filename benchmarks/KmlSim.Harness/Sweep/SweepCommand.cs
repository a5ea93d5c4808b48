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

    /// <summary>Runs this shard's points and writes their rows.</summary>
    public static int Execute(SweepArguments arguments, TextWriter error)
    {
        int[] points = arguments.Points.ToArray();
        int modesPerPoint = arguments.Parameter == SweepArguments.ModeParameter ? 1 : ComparisonRunner.Modes.Count;
        long planned = arguments.Workload.EstimatedInstructions * points.Length * modesPerPoint * arguments.Seeds.Count;
        var progress = new ProgressMeter(error, planned, overwrite: ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected);
        var rows = new List<IReadOnlyList<string>>();
        try
        {
            foreach (int point in points)
            {
                rows.AddRange(RunPoint(arguments, point, progress));
            }
        }
        catch (Exception problem) when (problem is WorkloadFailedException or GuestBuildException or IOException)
        {
            error.WriteLine($"kmlsim: {problem.Message}");
            return CompareCommand.WorkloadFailed;
        }
        finally
        {
            progress.Finish();
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
