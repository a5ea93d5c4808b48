using System.CommandLine;

namespace KmlSim.Harness;

/// <summary>The report files a comparison command writes besides its table on stdout.</summary>
/// <param name="Json">JSON report path (<c>--json</c>).</param>
/// <param name="Csv">CSV of the raw runs (<c>--csv</c>).</param>
/// <param name="Markdown">Markdown table and notes (<c>--markdown</c>).</param>
/// <param name="Svg">SVG charts (<c>--svg</c>).</param>
internal sealed record ReportOptions(string? Json, string? Csv, string? Markdown, string? Svg)
{
    private static readonly Option<string?> JsonOption = File("--json", "writes the JSON report to FILE");

    private static readonly Option<string?> CsvOption = File("--csv", "writes one CSV row per run to FILE");

    private static readonly Option<string?> MarkdownOption = File("--markdown", "writes the table and notes as Markdown to FILE");

    private static readonly Option<string?> SvgOption = File("--svg", "writes SVG charts to FILE");

    /// <summary>The options that name report files, for a command to add.</summary>
    public static IReadOnlyList<Option> Options { get; } = [JsonOption, CsvOption, MarkdownOption, SvgOption];

    /// <summary>The report paths given on the command line.</summary>
    public static ReportOptions Read(ParseResult parsed) =>
        new(parsed.GetValue(JsonOption), parsed.GetValue(CsvOption), parsed.GetValue(MarkdownOption), parsed.GetValue(SvgOption));

    private static Option<string?> File(string name, string description) => new(name) { HelpName = "FILE", Description = description };

    /// <summary>Writes the CSV, Markdown and SVG reports of <paramref name="comparisons"/> that were asked for (JSON is the command's own).</summary>
    /// <exception cref="IOException">A file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">A file may not be written.</exception>
    public void WriteCommon(IReadOnlyList<WorkloadComparison> comparisons, Timing.Profiles.CpuProfile profile, string markdownTitle)
    {
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
            ComparisonSvg.Write(svg, comparisons);
        }
    }
}
