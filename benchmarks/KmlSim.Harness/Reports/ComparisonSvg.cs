using System.Globalization;

namespace KmlSim.Harness;

/// <summary>
/// Two charts of a comparison in one SVG: (1) per workload, Stock and Kml cycles as bars stacked user
/// (below) and system (above), in percent of Stock's total so that workloads of any size sit side by side;
/// (2) per workload, the cycles Kml saves by cause category per system call (per operation when the
/// workload makes none), bars right of the axis for savings, left for costs.
/// </summary>
internal static class ComparisonSvg
{
    private const string UserColour = "#4e79a7";
    private const string SystemColour = "#f28e2b";
    private const string SavedColour = "#59a14f";
    private const string CostColour = "#e15759";

    /// <summary>Writes the charts of <paramref name="comparisons"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<WorkloadComparison> comparisons) => Draw(comparisons).ToDocument().Save(path);

    /// <summary>Draws the charts.</summary>
    public static SvgCanvas Draw(IReadOnlyList<WorkloadComparison> comparisons)
    {
        var canvas = new SvgCanvas { Width = Math.Max(800, 60 + (comparisons.Count * 150)) };
        DrawUserSystemBars(canvas, comparisons, top: 30);
        DrawSavingsByCategory(canvas, comparisons, top: canvas.Bottom + 50);
        return canvas;
    }

    private static void DrawUserSystemBars(SvgCanvas canvas, IReadOnlyList<WorkloadComparison> comparisons, double top)
    {
        const double height = 200, barWidth = 40, left = 60;
        canvas.Text(10, top, "Cycles per mode, user (blue) and system (orange), % of Stock's total", bold: true, size: 14);
        double axis = top + 30 + height;
        canvas.Line(left - 5, axis, canvas.Width - 10, axis);
        for (int percent = 0; percent <= 100; percent += 25)
        {
            double y = axis - (height * percent / 100.0);
            canvas.Text(left - 10, y, $"{percent}%", "end", 10);
        }

        for (int i = 0; i < comparisons.Count; i++)
        {
            WorkloadComparison c = comparisons[i];
            double stockTotal = Math.Max(c.Figure(KernelMode.Stock, m => m.TotalCycles).Mean, 1);
            double x = left + 10 + (i * 150);
            foreach (KernelMode mode in ComparisonRunner.Modes)
            {
                double user = c.Figure(mode, m => m.UserCycles).Mean, system = c.Figure(mode, m => m.SystemCycles).Mean;
                double userHeight = height * user / stockTotal, systemHeight = height * system / stockTotal;
                string name = ModeNames.Of(mode);
                canvas.Rectangle(x, axis - userHeight, barWidth, userHeight, UserColour, $"{c.Workload.Name} {name} user {user:N0} cycles");
                canvas.Rectangle(x, axis - userHeight - systemHeight, barWidth, systemHeight, SystemColour, $"{c.Workload.Name} {name} system {system:N0} cycles");
                canvas.Text(x + (barWidth / 2), axis - userHeight - systemHeight - 4, Percent((user + system) * 100 / stockTotal), "middle", 10);
                canvas.Text(x + (barWidth / 2), axis + 14, name, "middle", 10);
                x += barWidth + 10;
            }

            canvas.Text(left + 10 + (i * 150) + barWidth + 5, axis + 30, c.Workload.Name, "middle", 12);
        }
    }

    private static void DrawSavingsByCategory(SvgCanvas canvas, IReadOnlyList<WorkloadComparison> comparisons, double top)
    {
        const double labelWidth = 170, barSpan = 250, rowHeight = 16;
        canvas.Text(10, top, "Cycles saved by Kml, by cause (green: saved, red: added)", bold: true, size: 14);
        double y = top + 25;
        foreach (WorkloadComparison c in comparisons)
        {
            double syscalls = c.Figure(KernelMode.Stock, m => m.Syscalls).Mean;
            (double divisor, string unit) = syscalls > 0 ? (syscalls, "system call") : (c.Workload.Operations, c.Workload.OperationName);
            var rows = c.SavedByCategory.Select(s => (s.Category, Value: s.Saved.Mean / divisor)).ToArray();
            double largest = Math.Max(rows.Select(r => Math.Abs(r.Value)).DefaultIfEmpty(0).Max(), 1e-9);
            canvas.Text(10, y, $"{c.Workload.Name}: cycles per {unit}", bold: true);
            y += 8;
            double axis = labelWidth + barSpan + 10;
            canvas.Line(axis, y, axis, y + (rows.Length * rowHeight));
            foreach (var (category, value) in rows)
            {
                double length = barSpan * value / largest;
                canvas.Text(10, y + 12, category, size: 11);
                canvas.Rectangle(axis, y + 3, length, rowHeight - 5, value >= 0 ? SavedColour : CostColour, $"{category}: {value:N1}");
                canvas.Text(value >= 0 ? axis + length + 4 : axis + 4, y + 12, value.ToString("N1", CultureInfo.InvariantCulture), size: 10);
                y += rowHeight;
            }

            y += 20;
        }
    }

    private static string Percent(double value) => value.ToString("0", CultureInfo.InvariantCulture) + "%";
}
