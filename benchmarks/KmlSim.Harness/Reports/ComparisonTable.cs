namespace KmlSim.Harness;

/// <summary>
/// The comparison as a table: per workload a Stock row, a Kml row and a change row (cycles total, user,
/// system; system calls and how they entered; timer interrupts; cycles per operation; cycles saved per
/// system call), plus the notes a reader needs (profile, statistics, what was measured, the user/system rule).
/// </summary>
internal static class ComparisonTable
{
    /// <summary>The table of <paramref name="comparisons"/>.</summary>
    public static TextTable Build(IReadOnlyList<WorkloadComparison> comparisons)
    {
        var table = new TextTable(["workload", "mode", "cycles total", "user", "system", "per operation", "system calls", "via SYSCALL", "as calls (KML)", "interrupts", "saved cycles per system call", "of which entry/exit"]);
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
                    Cycles(c.Figure(mode, m => m.SyscallInstructions)),
                    Cycles(c.Figure(mode, m => m.TranslatedSyscalls)),
                    Cycles(c.Figure(mode, m => m.TimerInterrupts)));
            }

            table.Add(
                "",
                "change",
                Percent(c.ChangePercent(m => m.TotalCycles)),
                Percent(c.ChangePercent(m => m.UserCycles)),
                Percent(c.ChangePercent(m => m.SystemCycles)),
                Percent(c.ChangePercent(m => (double)m.TotalCycles / c.Workload.Operations)),
                Percent(c.ChangePercent(m => m.Syscalls)),
                "",
                "",
                "",
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
