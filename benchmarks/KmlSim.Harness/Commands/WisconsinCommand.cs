using System.CommandLine;
using System.Globalization;
using KmlSim.Timing.Profiles;

namespace KmlSim.Harness;

/// <summary>
/// <c>kmlsim wisconsin</c>: the seed article's experiment in simulation: the Wisconsin analog under Stock
/// and Kml (client and server trusted), reported as the article's table (<see cref="WisconsinReport"/>).
/// </summary>
internal static class WisconsinCommand
{
    /// <summary>The <c>--cache</c> value that leaves SQLite's own cache size.</summary>
    private const string SqliteDefaultCache = "default";

    private static readonly Option<long> Loops = CommandOptions.WholeNumber(
        "--loops", "loops (with 2 or more a 1-loop run is added so that only the loops are scaled)", 1, maximum: WisconsinOptions.ArticleLoops);

    private static readonly Option<string> Cache = new("--cache")
    {
        HelpName = "PAGES|default",
        Description = "SQLite cache in pages (2: MyISAM-like, a pread64 per row), or default for SQLite's own",
        DefaultValueFactory = _ => WisconsinArguments.DefaultCachePages.ToString(CultureInfo.InvariantCulture),
        Validators =
        {
            result =>
            {
                if (result.Tokens is [.., var token] && token.Value != SqliteDefaultCache && CachePages(token.Value) is null)
                {
                    result.AddError($"--cache needs a whole number from 1 to 1000000 or '{SqliteDefaultCache}', not '{token.Value}'");
                }
            },
        },
    };

    private static readonly Option<IReadOnlyList<string>?> Queries = CommandOptions.List(
        "--queries", "query numbers 1-10 (SELECTs) and 11 (the 14 writes); default all", "LIST");

    private static readonly ChoiceOption<string> Variant = new(
        "--variant", "client-server, single (one process), memory (in-memory control)", WisconsinOptions.Variants.Select(v => (v, v)).ToArray(), WisconsinOptions.Variants[0]);

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("wisconsin", """
            The seed article's experiment: the Wisconsin analog (SQLite, client and server over a socket pair, both
            trusted) under Stock and Kml; prints total/user/system CPU seconds at 2.4 GHz for both with the change,
            also scaled to 10,000 loops, system calls and interrupts per mode, and the saved cycles by cause
            (SYSCALL, SYSRET, SWAPGS, entry/exit, ...).
            """)
        {
            Loops, Cache, Queries, Variant,
        };
        CommandOptions.AddAll(command, ProfileOptions.Options);
        CommandOptions.AddAll(command, SeedOptions.Options);
        CommandOptions.AddAll(command, ReportOptions.Options);
        command.SetAction(parsed => Execute(Read(parsed), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>The arguments given on the command line.</summary>
    /// <exception cref="UsageException">A query number is out of range or given twice.</exception>
    public static WisconsinArguments Read(ParseResult parsed)
    {
        IReadOnlyList<int>? queries = parsed.GetValue(Queries)?.Select(Query).ToArray();
        if (queries is not null && queries.Distinct().Count() != queries.Count)
        {
            throw new UsageException("--queries names a query twice");
        }

        string cache = parsed.GetRequiredValue(Cache);
        var options = new WisconsinOptions((int)parsed.GetValue(Loops), cache == SqliteDefaultCache ? null : CachePages(cache), queries, Variant.Read(parsed));
        return new WisconsinArguments(options, SeedOptions.Read(parsed), ReportOptions.Read(parsed), ProfileOptions.Read(parsed));
    }

    /// <summary>Runs the experiment; the table goes to <paramref name="output"/>, progress and problems to <paramref name="error"/>.</summary>
    public static int Execute(WisconsinArguments arguments, TextWriter output, TextWriter error)
    {
        CpuProfile profile = arguments.Profile;
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
        output.Write(WisconsinReport.Text(result, profile, TextTable.WidthFor(output)));
        return CompareCommand.WriteReports(error, () =>
        {
            arguments.Reports.WriteCommon([comparisons[0]], profile, "kmlsim wisconsin: Stock vs Kernel Mode Linux");
            if (arguments.Reports.Json is { } json)
            {
                WisconsinReport.WriteJson(json, result, profile);
            }
        });
    }

    private static int Query(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int q) && q >= 1 && q <= WisconsinWorkload.QueryNumbers
            ? q
            : throw new UsageException($"--queries takes numbers 1-10 (SELECTs) and 11 (the 14 writes), not '{text}'");

    private static int? CachePages(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pages) && pages is >= 1 and <= 1_000_000 ? pages : null;
}
