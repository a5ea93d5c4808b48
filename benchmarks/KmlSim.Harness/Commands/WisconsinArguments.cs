using System.Globalization;

namespace KmlSim.Harness;

/// <summary>The parsed arguments of <c>kmlsim wisconsin</c>.</summary>
/// <param name="Options">How wisc runs.</param>
/// <param name="Seeds">One Stock and one Kml run per seed (the seed also picks the data permutation).</param>
/// <param name="Reports">Report files to write.</param>
internal sealed record WisconsinArguments(WisconsinOptions Options, IReadOnlyList<int> Seeds, ReportOptions Reports)
{
    /// <summary>The default SQLite cache of the command: the small, MyISAM-like one.</summary>
    public const int DefaultCachePages = 2;

    /// <summary>Parses what follows <c>wisconsin</c>.</summary>
    /// <exception cref="UsageException">The arguments are wrong.</exception>
    public static WisconsinArguments Parse(ReadOnlySpan<string> args)
    {
        var reader = new OptionReader(args, ["--loops", "--cache", "--queries", "--variant", .. SeedOptions.Names, .. ReportOptions.Names]);
        int loops = (int)reader.Number("--loops", 1, maximum: WisconsinOptions.ArticleLoops);
        int? cache = reader.Text("--cache") == "default" ? null : (int)reader.Number("--cache", DefaultCachePages, maximum: 1_000_000);
        string variant = reader.Text("--variant") ?? WisconsinOptions.Variants[0];
        if (!WisconsinOptions.Variants.Contains(variant))
        {
            throw new UsageException($"--variant '{variant}' is not one of {string.Join(", ", WisconsinOptions.Variants)}");
        }

        IReadOnlyList<int>? queries = reader.List("--queries")?.Select(Query).ToArray();
        if (queries is not null && queries.Distinct().Count() != queries.Count)
        {
            throw new UsageException("--queries names a query twice");
        }

        return new WisconsinArguments(new WisconsinOptions(loops, cache, queries, variant), SeedOptions.From(reader), ReportOptions.From(reader));
    }

    private static int Query(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int q) && q >= 1 && q <= WisconsinWorkload.QueryNumbers
            ? q
            : throw new UsageException($"--queries takes numbers 1-10 (SELECTs) and 11 (the 14 writes), not '{text}'");
}
