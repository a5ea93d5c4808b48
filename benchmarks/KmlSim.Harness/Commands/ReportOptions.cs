using System.CommandLine;

namespace KmlSim.Harness;

/// <summary>
/// The report files a comparison command writes besides its table on stdout: each named on its own, or all
/// of them in an output directory (<c>--outdir DIR</c>, like gem5's m5out: config.json, stats.json,
/// report.md, runs.csv and the charts as PNG and SVG; a file named on its own goes where it is named instead).
/// </summary>
/// <param name="Json">JSON report path (<c>--json</c>).</param>
/// <param name="Csv">CSV of the raw runs (<c>--csv</c>).</param>
/// <param name="Markdown">Markdown table and notes (<c>--markdown</c>).</param>
/// <param name="Svg">Charts (<c>--svg</c>): the path of the change chart, the causes chart beside it; in an output directory both as PNG and SVG.</param>
internal sealed record ReportOptions(string? Json, string? Csv, string? Markdown, string? Svg)
{
    private static readonly Option<string?> JsonOption = File("--json", "writes the JSON report to FILE");

    private static readonly Option<string?> CsvOption = File("--csv", "writes one CSV row per run to FILE");

    private static readonly Option<string?> MarkdownOption = File("--markdown", "writes the table and notes as Markdown to FILE");

    private static readonly Option<string?> SvgOption = File("--svg", "writes the change chart to FILE and the causes chart to FILE-causes (SVG; PNG when FILE ends in .png)");

    private static readonly Option<string?> OutDirOption = new("--outdir")
    {
        HelpName = "DIR",
        Description = "writes config.json (version, commit, options, profile, host), stats.json, report.md, runs.csv and the charts to DIR (created if needed)",
    };

    /// <summary>The options that name report files, for a command to add.</summary>
    public static IReadOnlyList<Option> Options { get; } = [JsonOption, CsvOption, MarkdownOption, SvgOption, OutDirOption];

    /// <summary>The output directory (<c>--outdir</c>), if any.</summary>
    public string? OutDir { get; init; }

    /// <summary>What the run was, written to the output directory as config.json.</summary>
    public RunConfiguration? Configuration { get; init; }

    /// <summary>The report paths given on the command line (those an output directory implies included).</summary>
    public static ReportOptions Read(ParseResult parsed)
    {
        string? outDir = parsed.GetValue(OutDirOption);
        string? In(string name) => outDir is null ? null : Path.Combine(outDir, name);
        return new ReportOptions(
            parsed.GetValue(JsonOption) ?? In("stats.json"),
            parsed.GetValue(CsvOption) ?? In("runs.csv"),
            parsed.GetValue(MarkdownOption) ?? In("report.md"),
            parsed.GetValue(SvgOption) ?? In("charts"))
        {
            OutDir = outDir,
            Configuration = outDir is null ? null : RunConfiguration.Of(parsed, ProfileOptions.Read(parsed)),
        };
    }

    /// <summary>
    /// Writes the CSV, Markdown and SVG reports of <paramref name="comparisons"/> that were asked for, and
    /// the output directory's config.json (JSON is the command's own).
    /// </summary>
    /// <exception cref="IOException">A file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">A file may not be written.</exception>
    public void WriteCommon(IReadOnlyList<WorkloadComparison> comparisons, Timing.Profiles.CpuProfile profile, string markdownTitle)
    {
        if (OutDir is { } directory)
        {
            Directory.CreateDirectory(directory);
            Configuration?.Write(directory);
        }

        if (Csv is { } csv)
        {
            ComparisonCsv.Write(csv, comparisons);
        }

        if (Markdown is { } markdown)
        {
            var notes = ComparisonTable.Notes(comparisons, profile).Select(note => "- " + note);
            System.IO.File.WriteAllText(markdown, $"# {markdownTitle}\n\n{ComparisonTable.PerMode(comparisons).RenderMarkdown()}\n{ComparisonTable.Change(comparisons).RenderMarkdown()}\n{string.Join('\n', notes)}\n");
        }

        if (Svg is { } svg)
        {
            ComparisonCharts.Write(svg, comparisons);
        }
    }

    private static Option<string?> File(string name, string description) => new(name) { HelpName = "FILE", Description = description };
}
