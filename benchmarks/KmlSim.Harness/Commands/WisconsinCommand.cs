using KmlSim.Timing.Profiles;

namespace KmlSim.Harness;

/// <summary>
/// <c>kmlsim wisconsin</c>: the seed article's experiment in simulation: the Wisconsin analog under Stock
/// and Kml (client and server trusted), reported as the article's table (<see cref="WisconsinReport"/>).
/// </summary>
internal static class WisconsinCommand
{
    /// <summary>Runs the experiment; the table goes to <paramref name="output"/>, progress and problems to <paramref name="error"/>.</summary>
    public static int Execute(WisconsinArguments arguments, TextWriter output, TextWriter error)
    {
        CpuProfile profile = CpuProfiles.Opteron850;
        WisconsinOptions options = arguments.Options;
        List<Workload> workloads = [WisconsinWorkload.Create("wisconsin", options)];
        if (options.Loops >= 2)
        {
            workloads.Add(WisconsinWorkload.Create("wisconsin-1-loop", options with { Loops = 1 }));
        }

        IReadOnlyList<WorkloadComparison>? comparisons = CompareCommand.Compare(profile, workloads, arguments.Seeds, error);
        if (comparisons is null)
        {
            return CompareCommand.WorkloadFailed;
        }

        var result = new WisconsinResult(options, comparisons[0], comparisons.Count > 1 ? comparisons[1] : null, profile.ClockHz);
        output.Write(WisconsinReport.Text(result, profile));
        return CompareCommand.WriteReports(error, () =>
        {
            arguments.Reports.WriteCommon([comparisons[0]], profile, "kmlsim wisconsin: Stock vs Kernel Mode Linux");
            if (arguments.Reports.Json is { } json)
            {
                WisconsinReport.WriteJson(json, result, profile);
            }
        });
    }
}
