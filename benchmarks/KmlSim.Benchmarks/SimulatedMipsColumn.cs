using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace KmlSim.Benchmarks;

/// <summary>
/// Simulated MIPS: guest instructions retired per host second, from the benchmark's
/// <c>Instructions</c> parameter (the exact number each operation retires) and BenchmarkDotNet's mean.
/// </summary>
public sealed class SimulatedMipsColumn : IColumn
{
    /// <inheritdoc />
    public string Id => nameof(SimulatedMipsColumn);

    /// <inheritdoc />
    public string ColumnName => "Simulated MIPS";

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
    public string Legend => "Guest instructions retired per host microsecond (millions per second)";

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        object? instructions = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Instructions")?.Value;
        if (meanNanoseconds is not { } mean || instructions is not long count)
        {
            return "-";
        }

        return (count / mean * 1e3).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }
}
