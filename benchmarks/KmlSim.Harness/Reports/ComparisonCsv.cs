using System.Globalization;

namespace KmlSim.Harness;

/// <summary>
/// The comparison as CSV, one row per workload, mode and seed (raw measurements, so any statistic can be
/// recomputed); a cause column per breakdown category (<c>cause_CATEGORY</c>: cycles by cause; a
/// prefix of its own, since the cause <c>user</c> is not the same figure as <c>cycles_user</c>, the
/// user half of the user/system split).
/// </summary>
internal static class ComparisonCsv
{
    /// <summary>The fixed columns, before the breakdown's.</summary>
    public static IReadOnlyList<string> FixedColumns { get; } =
    [
        "workload", "mode", "seed", "operations", "instructions", "cycles_total", "cycles_user", "cycles_system",
        "syscalls", "syscall_instructions", "translated_syscalls", "timer_interrupts",
    ];

    /// <summary>The breakdown's columns, one per cause category.</summary>
    public static IEnumerable<string> BreakdownColumns => CostBreakdown.Categories.Select(category => "cause_" + category);

    /// <summary>Writes <paramref name="comparisons"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<WorkloadComparison> comparisons)
    {
        IReadOnlyList<string> categories = CostBreakdown.Categories;
        var rows = new List<IReadOnlyList<string>>();
        foreach (WorkloadComparison c in comparisons)
        {
            foreach (KernelMode mode in ComparisonRunner.Modes)
            {
                IReadOnlyList<Measurement> runs = c.Of(mode);
                for (int i = 0; i < runs.Count; i++)
                {
                    rows.Add([c.Workload.Name, ModeNames.Of(mode), .. Fields(c.Seeds[i], c.Workload.Operations, runs[i], categories)]);
                }
            }
        }

        CsvFile.Write(path, [.. FixedColumns, .. BreakdownColumns], rows);
    }

    /// <summary>The measurement columns from seed onwards (shared with the sweep's rows).</summary>
    public static IEnumerable<string> Fields(int seed, long operations, Measurement m, IReadOnlyList<string> categories)
    {
        long[] numbers = [seed, operations, m.Instructions, m.TotalCycles, m.UserCycles, m.SystemCycles, m.Syscalls, m.SyscallInstructions, m.TranslatedSyscalls, m.TimerInterrupts];
        return numbers.Concat(categories.Select(k => m.Breakdown.GetValueOrDefault(k))).Select(n => n.ToString(CultureInfo.InvariantCulture));
    }
}
