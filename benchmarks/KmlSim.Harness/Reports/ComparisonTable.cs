namespace KmlSim.Harness;

/// <summary>
/// The comparison as tables: for a terminal one narrow table per workload (a row per figure, a column per
/// mode and the change: about 60 columns whatever the workloads); for Markdown two tables of all workloads
/// (per workload and mode the cycles total, user and system, per operation, the system calls and how they
/// entered, timer interrupts; then per workload the change and the cycles saved per system call). Plus the
/// notes a reader needs (profile, statistics, what was measured, the user/system rule).
/// </summary>
internal static class ComparisonTable
{
    /// <summary>One workload: a row per figure, with Stock, Kml and the change.</summary>
    public static TextTable ForWorkload(WorkloadComparison c)
    {
        var table = new TextTable([c.Workload.Name, ModeNames.Of(KernelMode.Stock), ModeNames.Of(KernelMode.Kml), "change"]);
        (string Name, Func<Measurement, double> Figure, bool Change)[] rows =
        [
            ("cycles total", m => m.TotalCycles, true),
            ("  user", m => m.UserCycles, true),
            ("  system", m => m.SystemCycles, true),
            ($"cycles per {c.Workload.OperationName}", m => (double)m.TotalCycles / c.Workload.Operations, true),
            ("system calls", m => m.Syscalls, true),
            ("  via SYSCALL", m => m.SyscallInstructions, false),
            ("  as calls (KML)", m => m.TranslatedSyscalls, false),
            ("timer interrupts", m => m.TimerInterrupts, false),
        ];
        foreach (var (name, figure, change) in rows)
        {
            Estimate stock = c.Figure(KernelMode.Stock, figure), kml = c.Figure(KernelMode.Kml, figure);
            string format = name.StartsWith("cycles per", StringComparison.Ordinal) ? "N1" : "N0";
            table.Add(name, stock.Format(format), kml.Format(format), change && stock.Mean != 0 ? Percent(c.ChangePercent(figure)) : "");
        }

        table.Add("saved cycles per system call", "", "", c.SavedCyclesPerSyscall.Format("N1"));
        table.Add("  of which entry/exit", "", "", c.SavedCrossingCyclesPerSyscall.Format("N1"));
        return table;
    }

    /// <summary>The cycles of each mode.</summary>
    public static TextTable PerMode(IReadOnlyList<WorkloadComparison> comparisons)
    {
        var table = new TextTable(["workload", "mode", "cycles total", "user", "system", "per operation", "system calls", "via SYSCALL / as calls", "interrupts"]);
        foreach (WorkloadComparison c in comparisons)
        {
            foreach (KernelMode mode in ComparisonRunner.Modes)
            {
                table.Add(
                    mode == KernelMode.Stock ? c.Workload.Name : "",
                    ModeNames.Of(mode),
                    Cycles(c.Figure(mode, m => m.TotalCycles)),
                    Cycles(c.Figure(mode, m => m.UserCycles)),
                    Cycles(c.Figure(mode, m => m.SystemCycles)),
                    c.Figure(mode, m => (double)m.TotalCycles / c.Workload.Operations).Format("N1"),
                    Cycles(c.Figure(mode, m => m.Syscalls)),
                    $"{Cycles(c.Figure(mode, m => m.SyscallInstructions))} / {Cycles(c.Figure(mode, m => m.TranslatedSyscalls))}",
                    Cycles(c.Figure(mode, m => m.TimerInterrupts)));
            }
        }

        return table;
    }

    /// <summary>What Kml changes against Stock, per workload.</summary>
    public static TextTable Change(IReadOnlyList<WorkloadComparison> comparisons)
    {
        var table = new TextTable(["workload", "change: total", "user", "system", "per operation", "saved cycles per system call", "of which entry/exit"]);
        foreach (WorkloadComparison c in comparisons)
        {
            table.Add(
                c.Workload.Name,
                Percent(c.ChangePercent(m => m.TotalCycles)),
                Percent(c.ChangePercent(m => m.UserCycles)),
                Percent(c.ChangePercent(m => m.SystemCycles)),
                Percent(c.ChangePercent(m => (double)m.TotalCycles / c.Workload.Operations)),
                c.SavedCyclesPerSyscall.Format("N1"),
                c.SavedCrossingCyclesPerSyscall.Format("N1"));
        }

        return table;
    }

    /// <summary>The lines printed under the table.</summary>
    public static IReadOnlyList<string> Notes(IReadOnlyList<WorkloadComparison> comparisons, Timing.Profiles.CpuProfile profile)
    {
        var notes = new List<string> { ReportText.ProfileLine(profile), "figures: " + Estimate.Describe(comparisons.Count == 0 ? 1 : comparisons[0].Runs) };
        foreach (WorkloadComparison c in comparisons)
        {
            notes.Add($"{c.Workload.Name}: {c.Workload.Description}; measured: {c.Workload.MeasuredPart}; per operation = per {c.Workload.OperationName}");
            if (!c.OutputsAgree)
            {
                notes.Add($"WARNING: {c.Workload.Name} printed different output under Stock and Kml");
            }
        }

        notes.Add("saved cycles per system call = (Stock total - Kml total) / Stock's system calls (Kml makes the same calls); "
            + "of which entry/exit = the part saved in SYSCALL, SYSRET, SWAPGS, IRETQ and the other entry/exit code (the rest: user code, bodies and interrupts disturbed differently)");
        notes.Add(ReportText.TrapRule);
        return notes;
    }

    /// <summary>A count of cycles (or events): whole numbers with thousands separators.</summary>
    public static string Cycles(Estimate value) => value.Format("N0");

    /// <summary>A change in percent with its sign.</summary>
    public static string Percent(Estimate value) => (value.Mean >= 0 ? "+" : "") + value.Format("N1") + "%";
}
