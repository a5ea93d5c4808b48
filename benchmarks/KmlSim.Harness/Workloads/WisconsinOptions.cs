using System.Globalization;

namespace KmlSim.Harness;

/// <summary>
/// How the Wisconsin analog (benchmarks/guests/wisc.c) is run: its loop count,
/// SQLite page cache, query subset and variant.
/// </summary>
/// <param name="Loops">How many times each selected SELECT runs (the article: 10,000).</param>
/// <param name="CachePages">SQLite's cache in pages (a few pages behave like MyISAM: one pread64 per access), or null for SQLite's default.</param>
/// <param name="Queries">The query numbers (1-10 SELECTs, 11 the 14 writes), or null for all.</param>
/// <param name="Variant">client-server (the experiment), single (one process) or memory (in-memory database: almost no system calls).</param>
internal sealed record WisconsinOptions(int Loops, int? CachePages, IReadOnlyList<int>? Queries, string Variant)
{
    /// <summary>The loop count of the seed article's run, which the report scales to.</summary>
    public const int ArticleLoops = 10_000;

    /// <summary>The variants wisc accepts.</summary>
    public static IReadOnlyList<string> Variants { get; } = ["client-server", "single", "memory"];

    /// <summary>Where the database copy is put in the simulated file system.</summary>
    public const string DatabasePath = "/data/wisconsin.db";

    /// <summary>wisc's arguments for these options.</summary>
    public IReadOnlyList<string> Arguments()
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        var arguments = new List<string> { "--db", DatabasePath, "--loops", Loops.ToString(invariant), "--variant", Variant };
        if (CachePages is { } pages)
        {
            arguments.AddRange(["--cache", pages.ToString(invariant)]);
        }

        if (Queries is { } queries)
        {
            arguments.AddRange(["--queries", string.Join(',', queries.Select(q => q.ToString(invariant)))]);
        }

        return arguments;
    }

    /// <summary>One line describing the run.</summary>
    public string Describe() =>
        $"Wisconsin analog on SQLite, {Variant}, cache {(CachePages is { } pages ? $"{pages} pages" : "SQLite's default")}, " +
        $"{Loops} loop{(Loops == 1 ? "" : "s")}, queries {(Queries is null ? "all (1-10 and the 14 writes)" : string.Join(',', Queries))}";
}
