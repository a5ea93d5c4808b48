namespace KmlSim.Harness;

/// <summary>The report files a comparison command writes besides its table on stdout.</summary>
/// <param name="Json">JSON report path (<c>--json</c>).</param>
/// <param name="Csv">CSV of the raw runs (<c>--csv</c>).</param>
/// <param name="Markdown">Markdown table and notes (<c>--markdown</c>).</param>
/// <param name="Svg">SVG charts (<c>--svg</c>).</param>
internal sealed record ReportOptions(string? Json, string? Csv, string? Markdown, string? Svg)
{
    /// <summary>The options that name report files.</summary>
    public static IReadOnlyList<string> Names { get; } = ["--json", "--csv", "--markdown", "--svg"];

    /// <summary>The report paths given to <paramref name="reader"/>.</summary>
    public static ReportOptions From(OptionReader reader) =>
        new(reader.Text("--json"), reader.Text("--csv"), reader.Text("--markdown"), reader.Text("--svg"));

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
            File.WriteAllText(markdown, $"# {markdownTitle}\n\n{ComparisonTable.Build(comparisons).RenderMarkdown()}\n{string.Join('\n', notes)}\n");
        }

        if (Svg is { } svg)
        {
            ComparisonSvg.Write(svg, comparisons);
        }
    }
}
