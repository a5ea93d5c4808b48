namespace KmlSim.Harness;

/// <summary>The parsed arguments of <c>kmlsim sweep</c>.</summary>
/// <param name="Parameter">"mode", or the name of a <see cref="ProfileParameter"/>.</param>
/// <param name="Values">The values, one sweep point each (point k is the k-th value, from 0).</param>
/// <param name="Workload">The workload run at every point.</param>
/// <param name="Shard">This run's share: 1-based index and count; points with k mod count = index - 1.</param>
/// <param name="Seeds">Runs per point and mode.</param>
/// <param name="CsvPath">Where the rows go.</param>
internal sealed record SweepArguments(string Parameter, IReadOnlyList<string> Values, Workload Workload, (int Index, int Count) Shard, IReadOnlyList<int> Seeds, string CsvPath)
{
    /// <summary>The parameter that varies the kernel mode instead of the profile.</summary>
    public const string ModeParameter = "mode";

    /// <summary>The default workload.</summary>
    public const string DefaultWorkload = "getppid";

    /// <summary>The point indices this shard runs.</summary>
    public IEnumerable<int> Points => Enumerable.Range(0, Values.Count).Where(k => k % Shard.Count == Shard.Index - 1);

    /// <summary>Parses <c>I/N</c> (1 &lt;= I &lt;= N); null means the whole sweep (1/1).</summary>
    /// <exception cref="UsageException">It is not of that form.</exception>
    public static (int Index, int Count) ParseShard(string? shard)
    {
        if (shard is null)
        {
            return (1, 1);
        }

        string[] parts = shard.Split('/');
        return parts.Length == 2 && int.TryParse(parts[0], System.Globalization.NumberStyles.None, null, out int index)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, null, out int count) && index >= 1 && index <= count
            ? (index, count)
            : throw new UsageException($"--shard needs I/N with 1 <= I <= N (e.g. 2/8), not '{shard}'");
    }
}
