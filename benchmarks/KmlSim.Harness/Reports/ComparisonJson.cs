using System.Text.Json;

namespace KmlSim.Harness;

/// <summary>
/// The comparison as JSON. Per workload: <c>"stock"</c> and <c>"kml"</c> objects, each
/// <c>{"cycles":{"total","user","system"},"syscalls","syscallInstructions","translatedSyscalls","interrupts","instructions","breakdown":{...}}</c>
/// (means over the seeds, plus <c>"ci95"</c> half-widths of the cycles when there were several; then
/// <c>"crossCutting"</c>: refill and memory stall cycles), then <c>"changePercent"</c>,
/// <c>"savedCyclesPerSyscall"</c>, <c>"savedCyclesByCategory"</c> and <c>"savedCrossCutting"</c>.
/// </summary>
internal static class ComparisonJson
{
    /// <summary>Writes <paramref name="comparisons"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<WorkloadComparison> comparisons, Timing.Profiles.CpuProfile profile)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        WriteHeader(json, profile, comparisons.Count == 0 ? 1 : comparisons[0].Runs);
        json.WriteStartArray("workloads");
        foreach (WorkloadComparison c in comparisons)
        {
            json.WriteStartObject();
            json.WriteString("name", c.Workload.Name);
            json.WriteString("description", c.Workload.Description);
            json.WriteString("measured", c.Workload.MeasuredPart);
            json.WriteNumber("operations", c.Workload.Operations);
            json.WriteString("operation", c.Workload.OperationName);
            WriteBody(json, c);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    /// <summary>The properties every harness JSON report starts with: profile, clock, statistics, the user/system rule.</summary>
    public static void WriteHeader(Utf8JsonWriter json, Timing.Profiles.CpuProfile profile, int runs)
    {
        json.WriteString("profile", profile.Name);
        json.WriteNumber("clockHz", profile.ClockHz);
        json.WriteNumber("runs", runs);
        json.WriteString("statistics", Estimate.Describe(runs));
        json.WriteString("userSystemRule", ReportText.TrapRule);
    }

    /// <summary>Seeds, the two modes, the changes, the savings: the part shared with <c>kmlsim wisconsin --json</c>.</summary>
    public static void WriteBody(Utf8JsonWriter json, WorkloadComparison c)
    {
        json.WriteStartArray("seeds");
        foreach (int seed in c.Seeds)
        {
            json.WriteNumberValue(seed);
        }

        json.WriteEndArray();
        WriteMode(json, "stock", c, KernelMode.Stock);
        WriteMode(json, "kml", c, KernelMode.Kml);
        json.WriteStartObject("changePercent");
        json.WriteNumber("total", c.ChangePercent(m => m.TotalCycles).Mean);
        json.WriteNumber("user", c.ChangePercent(m => m.UserCycles).Mean);
        json.WriteNumber("system", c.ChangePercent(m => m.SystemCycles).Mean);
        json.WriteEndObject();
        WriteEstimate(json, "savedCyclesPerSyscall", c.SavedCyclesPerSyscall);
        WriteEstimate(json, "savedCrossingCyclesPerSyscall", c.SavedCrossingCyclesPerSyscall);
        json.WriteStartObject("savedCyclesByCategory");
        foreach (var (category, saved) in c.SavedByCategory)
        {
            json.WriteNumber(category, saved.Mean);
        }

        json.WriteEndObject();
        json.WriteStartObject("savedCrossCutting");
        foreach (string counter in CostBreakdown.CrossCuttingCounters)
        {
            json.WriteNumber(counter, c.SavedInCounter(counter).Mean);
        }

        json.WriteEndObject();
        json.WriteBoolean("outputsAgree", c.OutputsAgree);
    }

    private static void WriteMode(Utf8JsonWriter json, string name, WorkloadComparison c, KernelMode mode)
    {
        json.WriteStartObject(name);
        Estimate total = c.Figure(mode, m => m.TotalCycles), user = c.Figure(mode, m => m.UserCycles), system = c.Figure(mode, m => m.SystemCycles);
        json.WriteStartObject("cycles");
        json.WriteNumber("total", total.Mean);
        json.WriteNumber("user", user.Mean);
        json.WriteNumber("system", system.Mean);
        json.WriteEndObject();
        if (c.Runs > 1)
        {
            json.WriteStartObject("ci95");
            json.WriteNumber("total", total.HalfWidth);
            json.WriteNumber("user", user.HalfWidth);
            json.WriteNumber("system", system.HalfWidth);
            json.WriteEndObject();
        }

        json.WriteNumber("syscalls", c.Figure(mode, m => m.Syscalls).Mean);
        json.WriteNumber("syscallInstructions", c.Figure(mode, m => m.SyscallInstructions).Mean);
        json.WriteNumber("translatedSyscalls", c.Figure(mode, m => m.TranslatedSyscalls).Mean);
        json.WriteNumber("interrupts", c.Figure(mode, m => m.TimerInterrupts).Mean);
        json.WriteNumber("instructions", c.Figure(mode, m => m.Instructions).Mean);
        json.WriteStartObject("breakdown");
        foreach (string category in c.Of(mode)[0].Breakdown.Keys)
        {
            json.WriteNumber(category, c.Figure(mode, m => m.Breakdown.GetValueOrDefault(category)).Mean);
        }

        json.WriteEndObject();
        json.WriteStartObject("crossCutting");
        foreach (string counter in CostBreakdown.CrossCuttingCounters)
        {
            json.WriteNumber(counter, c.Figure(mode, m => m.Counters.GetValueOrDefault(counter)).Mean);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteEstimate(Utf8JsonWriter json, string name, Estimate value)
    {
        json.WriteNumber(name, value.Mean);
        if (value.Runs > 1)
        {
            json.WriteNumber(name + "Ci95", value.HalfWidth);
        }
    }
}
