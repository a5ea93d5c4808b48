using System.Globalization;
using ScottPlot;

namespace KmlSim.Harness;

/// <summary>
/// The charts of a comparison (ScottPlot), each as PNG and SVG: (1) the change from Stock to KML in
/// cycles total, user and system per workload, in percent with the absolute cycles per operation in each
/// bar's label, so that a -0.4% change reads as -0.4% and not as two equal bars; (2) the cycles KML saves
/// per system call by cause, one group per cause that is non-zero in some workload. With <c>--repeat</c>
/// every bar carries its 95% confidence interval as an error bar.
/// </summary>
internal static class ComparisonCharts
{
    /// <summary>The size every chart is drawn at, in pixels.</summary>
    public const int Width = 1000, Height = 600;

    private static readonly Color[] Palette = [Color.FromHex("#4e79a7"), Color.FromHex("#f28e2b"), Color.FromHex("#59a14f"), Color.FromHex("#e15759"), Color.FromHex("#76b7b2"), Color.FromHex("#edc948")];

    /// <summary>
    /// Writes the change chart to <paramref name="basePath"/> and the causes chart beside it (<c>-causes</c>
    /// before the extension), in the format the extension names (.png or .svg), or as both when it has neither.
    /// </summary>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Write(string basePath, IReadOnlyList<WorkloadComparison> comparisons)
    {
        string extension = Path.GetExtension(basePath).ToLowerInvariant();
        string stem = extension is ".png" or ".svg" ? basePath[..^extension.Length] : basePath;
        string[] formats = extension is ".png" or ".svg" ? [extension] : [".png", ".svg"];
        var written = new List<string>();
        foreach ((string suffix, Plot plot) in new[] { ("", Change(comparisons)), ("-causes", Causes(comparisons)) })
        {
            foreach (string format in formats)
            {
                string path = stem + suffix + format;
                if (format == ".png")
                {
                    plot.SavePng(path, Width, Height);
                }
                else
                {
                    plot.SaveSvg(path, Width, Height);
                }

                written.Add(path);
            }
        }

        return written;
    }

    /// <summary>The change chart.</summary>
    public static Plot Change(IReadOnlyList<WorkloadComparison> comparisons)
    {
        (string Name, Func<Measurement, double> Figure)[] figures = [("total", m => m.TotalCycles), ("user", m => m.UserCycles), ("system", m => m.SystemCycles)];
        var plot = new Plot();
        var bars = new List<Bar>();
        for (int w = 0; w < comparisons.Count; w++)
        {
            WorkloadComparison c = comparisons[w];
            for (int f = 0; f < figures.Length; f++)
            {
                Func<Measurement, double> figure = figures[f].Figure;
                Estimate change = c.ChangePercent(figure);
                double stock = c.Figure(KernelMode.Stock, m => figure(m) / c.Workload.Operations).Mean;
                double kml = c.Figure(KernelMode.Kml, m => figure(m) / c.Workload.Operations).Mean;
                bars.Add(new Bar
                {
                    Position = (w * (figures.Length + 1)) + f,
                    Value = change.Mean,
                    Error = change.HalfWidth,
                    FillColor = Palette[f],
                    Label = string.Create(CultureInfo.InvariantCulture, $"{change.Mean:+0.0;-0.0;0.0}%\n{Cycles(stock)}→{Cycles(kml)}"),
                });
            }
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(
            comparisons.Select((_, w) => (double)(w * (figures.Length + 1)) + 1).ToArray(),
            comparisons.Select(c => $"{c.Workload.Name}\n(cycles per {c.Workload.OperationName})").ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Title("KML against Stock: change in cycles");
        plot.YLabel("change from Stock to KML (%)");
        plot.Add.HorizontalLine(0, 1, Colors.Black);
        AddLegend(plot, figures.Select((f, i) => (f.Name, Palette[i])));
        plot.Axes.Margins(0.05, 0.2);
        return plot;
    }

    /// <summary>The causes chart: cycles saved per system call (per operation when a workload makes none) by cause.</summary>
    public static Plot Causes(IReadOnlyList<WorkloadComparison> comparisons)
    {
        string[] causes = CostBreakdown.Categories
            .Where(cause => comparisons.Any(c => c.SavedByCategory.Any(s => s.Category == cause && s.Saved.Mean != 0)))
            .ToArray();
        var plot = new Plot();
        var bars = new List<Bar>();
        for (int k = 0; k < causes.Length; k++)
        {
            for (int w = 0; w < comparisons.Count; w++)
            {
                WorkloadComparison c = comparisons[w];
                double per = Math.Max(c.Figure(KernelMode.Stock, m => m.Syscalls).Mean, 0) is > 0 and var calls ? calls : c.Workload.Operations;
                Estimate saved = c.SavedByCategory.FirstOrDefault(s => s.Category == causes[k]).Saved;
                bars.Add(new Bar
                {
                    Position = (k * (comparisons.Count + 1)) + w,
                    Value = saved.Mean / per,
                    Error = saved.HalfWidth / per,
                    FillColor = Palette[w % Palette.Length],
                    Label = (saved.Mean / per).ToString("0.#", CultureInfo.InvariantCulture),
                });
            }
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(
            causes.Select((_, k) => (k * (comparisons.Count + 1)) + ((comparisons.Count - 1) / 2.0)).ToArray(),
            causes);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Title("Where KML's saving comes from (causes that are non-zero)");
        plot.YLabel("cycles saved per system call (negative: KML spends more)");
        plot.Add.HorizontalLine(0, 1, Colors.Black);
        AddLegend(plot, comparisons.Select((c, w) => (c.Workload.Name, Palette[w % Palette.Length])));
        plot.Axes.Margins(0.05, 0.15);
        return plot;
    }

    private static void AddLegend(Plot plot, IEnumerable<(string Name, Color Colour)> items)
    {
        foreach ((string name, Color colour) in items)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = name, FillColor = colour });
        }

        // Outside the data area: bars go both ways from zero, so no corner inside is free.
        plot.ShowLegend(Edge.Right);
    }

    private static string Cycles(double value) => value.ToString(value >= 100 ? "N0" : "N1", CultureInfo.InvariantCulture);
}
