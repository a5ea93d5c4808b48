using KmlSim.Guests;

namespace KmlSim.Harness;

/// <summary>
/// The Wisconsin analog as a workload: wisc (built with Debian's static SQLite) on a fresh copy of the
/// pristine database for the run's seed (the seed picks the data permutation; the database is built once
/// per seed and cached), both processes trusted so that under KML client and server run in ring 0, as the
/// article ran MySQL's server and client.
/// </summary>
internal static class WisconsinWorkload
{
    /// <summary>Guest instructions per loop of the client/server analog, measured natively (~151 M).</summary>
    private const long InstructionsPerLoop = 151_000_000;

    /// <summary>wisc's query numbers: the ten SELECTs and the block of 14 writes.</summary>
    public const int QueryNumbers = 11;

    /// <summary>The workload for <paramref name="options"/>, called <paramref name="name"/>.</summary>
    public static Workload Create(string name, WisconsinOptions options) => new()
    {
        Name = name,
        Description = options.Describe(),
        BuildGuest = WisconsinGuest.Build,
        Arguments = options.Arguments(),
        Operations = options.Loops,
        OperationName = "loop",
        Files = [new WorkloadFile(WisconsinOptions.DatabasePath, seed => WisconsinDatabase.Pristine(WisconsinGuest.Build(), (ulong)seed))],
        Trusted = true,
        // For the ETA only: start-up (exec, fork, opening the database) counted as one more loop, a query
        // subset as its share of the 11 query numbers.
        EstimatedInstructions = (options.Loops + 1) * InstructionsPerLoop * (options.Queries?.Count ?? QueryNumbers) / QueryNumbers,
    };
}
