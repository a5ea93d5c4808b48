using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace KmlSim.Benchmarks;

/// <summary>
/// Simulated cycles per loop iteration of a <see cref="GuestLoopBenchmark"/> case (total, user or system), read
/// from the figures the case measured, or measured here when the case ran in another process.
/// </summary>
public sealed class SimulatedCyclesColumn : IColumn
{
    private readonly Func<SimulatedCycles, double> select;

    private SimulatedCyclesColumn(string part, Func<SimulatedCycles, double> select, string legend)
    {
        this.select = select;
        Id = nameof(SimulatedCyclesColumn) + part;
        ColumnName = $"Sim {part} cycles/op";
        Legend = legend;
    }

    /// <summary>All simulated cycles per iteration.</summary>
    public static SimulatedCyclesColumn Total { get; } = new("total", c => c.Total, "Simulated Opteron 850 cycles per loop iteration (user + system)");

    /// <summary>User cycles per iteration.</summary>
    public static SimulatedCyclesColumn User { get; } = new("user", c => c.User, "Simulated cycles per iteration in the program's own code");

    /// <summary>System cycles per iteration.</summary>
    public static SimulatedCyclesColumn System { get; } = new("system", c => c.System, "Simulated cycles per iteration in the kernel (entry, exit, dispatch, bodies)");

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public string ColumnName { get; }

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 0;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend { get; }

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (!typeof(GuestLoopBenchmark).IsAssignableFrom(benchmarkCase.Descriptor.Type)
            || benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(GuestLoopBenchmark.Mode))?.Value is not KernelMode mode)
        {
            return "-";
        }

        var benchmark = (GuestLoopBenchmark)Activator.CreateInstance(benchmarkCase.Descriptor.Type)!;
        benchmark.Mode = mode;
        return select(benchmark.CyclesPerIteration()).ToString("F1", CultureInfo.InvariantCulture);
    }
}
