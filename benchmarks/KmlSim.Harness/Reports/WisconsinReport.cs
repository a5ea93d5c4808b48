using System.Text;
using System.Text.Json;

namespace KmlSim.Harness;

/// <summary>
/// The article's table from simulated cycles: total, user and system CPU seconds of client + server for
/// Stock and Kml with the change, also scaled to 10,000 loops; system calls and interrupts per mode; the
/// saved cycles by cause; and the rules behind the numbers.
/// </summary>
internal static class WisconsinReport
{
    private static readonly (string Name, Func<Measurement, double> Figure)[] Times =
    [
        ("total", m => m.TotalCycles), ("user", m => m.UserCycles), ("system", m => m.SystemCycles),
    ];

    /// <summary>The report as text (tables aligned within <paramref name="width"/> columns, and notes).</summary>
    public static string Text(WisconsinResult result, Timing.Profiles.CpuProfile profile, int width)
    {
        WorkloadComparison c = result.Main;
        var times = new TextTable(["CPU time, client + server", "Stock", "KML", "change"]);
        foreach (var (name, figure) in Times)
        {
            times.Add($"{name} (s)", Seconds(result.Seconds(KernelMode.Stock, figure)), Seconds(result.Seconds(KernelMode.Kml, figure)), ComparisonTable.Percent(c.ChangePercent(figure)));
        }

        foreach (var (name, figure) in Times)
        {
            times.Add($"{name} (s) at {WisconsinOptions.ArticleLoops:N0} loops", Seconds(result.ScaledSeconds(KernelMode.Stock, figure)),
                Seconds(result.ScaledSeconds(KernelMode.Kml, figure)), ComparisonTable.Percent(result.ScaledChangePercent(figure)));
        }

        (string Name, Func<Measurement, double> Figure)[] counts =
        [
            ("system calls", m => m.Syscalls), ("  entered by SYSCALL", m => m.SyscallInstructions), ("  as calls (KML direct entry)", m => m.TranslatedSyscalls),
            ("timer interrupts", m => m.TimerInterrupts), ("instructions", m => m.Instructions), ("cycles", m => m.TotalCycles),
        ];
        foreach (var (name, figure) in counts)
        {
            Estimate stock = c.Figure(KernelMode.Stock, figure);
            times.Add(name, ComparisonTable.Cycles(stock), ComparisonTable.Cycles(c.Figure(KernelMode.Kml, figure)), stock.Mean == 0 ? "" : ComparisonTable.Percent(c.ChangePercent(figure)));
        }

        double syscalls = Math.Max(c.Figure(KernelMode.Stock, m => m.Syscalls).Mean, 1);
        double saved = c.Figure(KernelMode.Stock, m => m.TotalCycles).Mean - c.Figure(KernelMode.Kml, m => m.TotalCycles).Mean;
        var causes = new TextTable(["saved cycles by cause", "Stock", "KML", "saved", "share of saved", "per system call"]);
        foreach (var (category, estimate) in c.SavedByCategory)
        {
            causes.Add(category, ComparisonTable.Cycles(c.Figure(KernelMode.Stock, m => m.Breakdown.GetValueOrDefault(category))),
                ComparisonTable.Cycles(c.Figure(KernelMode.Kml, m => m.Breakdown.GetValueOrDefault(category))), ComparisonTable.Cycles(estimate),
                Share(estimate.Mean, saved), (estimate.Mean / syscalls).ToString("N1", System.Globalization.CultureInfo.InvariantCulture));
        }

        causes.Add("all causes", "", "", saved.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), Share(saved, saved), (saved / syscalls).ToString("N1", System.Globalization.CultureInfo.InvariantCulture));
        double crossing = c.SavedCrossingCyclesPerSyscall.Mean;
        causes.Add("of which entry/exit (crossing)", "", "", (crossing * syscalls).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), Share(crossing * syscalls, saved), crossing.ToString("N1", System.Globalization.CultureInfo.InvariantCulture));
        foreach (string counter in CostBreakdown.CrossCuttingCounters)
        {
            Estimate estimate = c.SavedInCounter(counter);
            causes.Add($"(across causes) {counter}", ComparisonTable.Cycles(c.Figure(KernelMode.Stock, m => m.Counters.GetValueOrDefault(counter))),
                ComparisonTable.Cycles(c.Figure(KernelMode.Kml, m => m.Counters.GetValueOrDefault(counter))), ComparisonTable.Cycles(estimate), Share(estimate.Mean, saved), "");
        }

        var text = new StringBuilder();
        text.Append(result.Options.Describe()).Append('\n').Append(ReportText.ProfileLine(profile)).Append("; figures: ").Append(Estimate.Describe(c.Runs)).Append("\n\n");
        text.Append(times.RenderAligned(width)).Append(causes.RenderAligned(width));
        text.Append(result.ScalingMethod).Append('\n');
        text.Append("CPU seconds = cycles / ").Append(profile.ClockHz.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append(" Hz; the causes add up to total + idle cycles; refill and memory-stall cycles cut across the causes (they are part of them, not added)\n");
        text.Append(ReportText.TrapRule).Append('\n');
        if (!c.OutputsAgree)
        {
            text.Append("WARNING: Stock and KML printed different results (row counts or checksum)\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// Writes the JSON report: the header, then <c>"workload"</c>, <c>"arguments"</c>, <c>"loops"</c>, the
    /// comparison's body (<c>"stock"</c> and <c>"kml"</c> with <c>{"cycles":{"total","user","system"},"syscalls",...}</c>,
    /// changes, savings), <c>"seconds"</c> per mode, and <c>"scaled"</c> (to 10,000 loops, with its method).
    /// </summary>
    public static void WriteJson(string path, WisconsinResult result, Timing.Profiles.CpuProfile profile)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        ComparisonJson.WriteHeader(json, profile, result.Main.Runs);
        json.WriteString("workload", result.Options.Describe());
        json.WriteStartArray("arguments");
        foreach (string argument in result.Options.Arguments())
        {
            json.WriteStringValue(argument);
        }

        json.WriteEndArray();
        json.WriteNumber("loops", result.Options.Loops);
        ComparisonJson.WriteBody(json, result.Main);
        json.WriteStartObject("seconds");
        WriteSeconds(json, "stock", figure => result.Seconds(KernelMode.Stock, figure));
        WriteSeconds(json, "kml", figure => result.Seconds(KernelMode.Kml, figure));
        json.WriteEndObject();
        json.WriteStartObject("scaled");
        json.WriteNumber("loops", WisconsinOptions.ArticleLoops);
        json.WriteString("method", result.ScalingMethod);
        WriteSeconds(json, "stock", figure => result.ScaledSeconds(KernelMode.Stock, figure));
        WriteSeconds(json, "kml", figure => result.ScaledSeconds(KernelMode.Kml, figure));
        json.WriteStartObject("changePercent");
        foreach (var (name, figure) in Times)
        {
            json.WriteNumber(name, result.ScaledChangePercent(figure).Mean);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static void WriteSeconds(Utf8JsonWriter json, string mode, Func<Func<Measurement, double>, Estimate> seconds)
    {
        json.WriteStartObject(mode);
        foreach (var (name, figure) in Times)
        {
            json.WriteNumber(name, seconds(figure).Mean);
        }

        json.WriteEndObject();
    }

    private static string Seconds(Estimate value) => value.Format("0.000000");

    private static string Share(double part, double whole) =>
        whole == 0 ? "" : (part * 100 / whole).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
