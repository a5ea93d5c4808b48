using System.CommandLine;
using System.Globalization;

namespace KmlSim.Harness;

/// <summary>
/// <c>kmlsim merge SHARD.csv... --csv OUT</c>: joins the shards of a sweep into one CSV ordered by point.
/// Every shard must have the same header, every row its number of fields, and no (point, mode, seed)
/// may appear twice (two shards that overlap were run with different I/N).
/// </summary>
internal static class MergeCommand
{
    private static readonly Argument<string[]> Shards = new("shards")
    {
        HelpName = "SHARD.csv",
        Arity = ArgumentArity.OneOrMore,
        Description = "the sweep shards to join",
    };

    private static readonly Option<string> Csv = new("--csv") { HelpName = "FILE", Required = true, Description = "where the merged CSV goes" };

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("merge", "Joins sweep shards into one CSV ordered by point; the headers must match and no (point, mode, seed) may appear twice.")
        {
            Shards, Csv,
        };
        command.SetAction(parsed => Execute(parsed.GetRequiredValue(Shards), parsed.GetRequiredValue(Csv), parsed.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Merges the <paramref name="shards"/> into <paramref name="output"/>.</summary>
    public static int Execute(IReadOnlyList<string> shards, string output, TextWriter error)
    {
        try
        {
            var (header, rows) = Merge(shards.Select(path => (path, File.ReadAllText(path))).ToArray());
            CsvFile.Write(output, header, rows);
            return 0;
        }
        catch (FormatException problem)
        {
            error.WriteLine($"kmlsim: {problem.Message}");
            return CommandLine.UsageError;
        }
        catch (Exception problem) when (problem is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"kmlsim: {problem.Message}");
            return CommandLine.UsageError;
        }
    }

    /// <summary>Joins shard texts (file name, contents) into one header and rows sorted by point (stable).</summary>
    /// <exception cref="FormatException">A shard is empty, its header differs, a row is malformed, or a point repeats.</exception>
    public static (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) Merge(IReadOnlyList<(string Name, string Text)> shards)
    {
        IReadOnlyList<string>? header = null;
        var rows = new List<(int Point, IReadOnlyList<string> Row)>();
        var seen = new HashSet<string>();
        foreach (var (name, text) in shards)
        {
            IReadOnlyList<IReadOnlyList<string>> records = CsvFile.Parse(text);
            if (records.Count == 0)
            {
                throw new FormatException($"{name} is empty (no header)");
            }

            header ??= records[0];
            if (!records[0].SequenceEqual(header))
            {
                throw new FormatException($"{name} has a different header from {shards[0].Name}");
            }

            int point = Column(header, "point", name), mode = Column(header, "mode", name), seed = Column(header, "seed", name);
            foreach (IReadOnlyList<string> row in records.Skip(1))
            {
                if (row.Count != header.Count)
                {
                    throw new FormatException($"{name}: a row has {row.Count} fields, the header {header.Count}");
                }

                if (!int.TryParse(row[point], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                {
                    throw new FormatException($"{name}: point '{row[point]}' is not a number");
                }

                if (!seen.Add($"{index}/{row[mode]}/{row[seed]}"))
                {
                    throw new FormatException($"{name}: point {index}, mode {row[mode]}, seed {row[seed]} is already in another row (do shards overlap?)");
                }

                rows.Add((index, row));
            }
        }

        return (header!, rows.OrderBy(r => r.Point).Select(r => r.Row).ToArray());
    }

    private static int Column(IReadOnlyList<string> header, string column, string name) =>
        header.ToList().IndexOf(column) is >= 0 and int at ? at : throw new FormatException($"{name} has no '{column}' column: not a sweep CSV");
}
