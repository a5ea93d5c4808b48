using KmlSim.Guests;

namespace KmlSim.Harness;

/// <summary>
/// The named workloads of <c>kmlsim compare</c> and <c>kmlsim sweep</c>: the system-call microbenchmarks
/// and the Wisconsin analog at one loop (small cache, SQLite's default cache, in-memory control). Each
/// system-call microbenchmark runs <c>iterations + iterations/10</c> and <c>iterations/10</c> times, and the harness subtracts the two, so
/// its figures cover exactly <c>iterations</c> operations and no start-up.
/// </summary>
internal static class WorkloadCatalog
{
    /// <summary>Microbenchmark iterations measured by default (as the README's first null-system-call figure: 11,000 less 1,000).</summary>
    public const long DefaultIterations = 10_000;

    /// <summary>The names run by <c>kmlsim compare</c> without <c>--workloads</c>.</summary>
    public static IReadOnlyList<string> DefaultSet { get; } = ["getppid", "devnull-rw", SmallCacheWisconsin];

    /// <summary>Every workload name, in listing order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["getppid", "devnull-rw", "pipe-rw", "callret", "gettimeofday", SmallCacheWisconsin, "wisconsin-large-cache", "wisconsin-memory"];

    /// <summary>
    /// The default set's Wisconsin entry: the client/server analog, one loop, a 2-page SQLite cache (the
    /// MyISAM-like pattern of one pread64 per row access).
    /// </summary>
    public const string SmallCacheWisconsin = "wisconsin-small-cache";

    /// <summary>The workload called <paramref name="name"/>, with microbenchmarks sized by <paramref name="iterations"/>.</summary>
    /// <exception cref="UsageException">There is no such workload.</exception>
    public static Workload Find(string name, long iterations = DefaultIterations) => name switch
    {
        "getppid" => Microbenchmark(name, "getppid.c", "raw getppid system call (the null system call)", iterations, instructionsPerIteration: 60),
        "devnull-rw" => Microbenchmark(name, "devnull_rw.c", "1-byte write then 1-byte read on /dev/null (2 system calls)", iterations, instructionsPerIteration: 140),
        "pipe-rw" => Microbenchmark(name, "pipe_rw.c", "1-byte write then 1-byte read through a pipe (2 system calls)", iterations, instructionsPerIteration: 140),
        "callret" => Microbenchmark(name, "callret.c", "CALL/RET of an empty non-inlined function (no system call)", iterations, instructionsPerIteration: 6),
        "gettimeofday" => Microbenchmark(name, "gettimeofday.c", "gettimeofday (the system call, not the vDSO)", iterations, instructionsPerIteration: 80),
        SmallCacheWisconsin => WisconsinWorkload.Create(name, new WisconsinOptions(1, 2, null, "client-server")),
        "wisconsin-large-cache" => WisconsinWorkload.Create(name, new WisconsinOptions(1, null, null, "client-server")),
        "wisconsin-memory" => WisconsinWorkload.Create(name, new WisconsinOptions(1, null, null, "memory")),
        _ => throw new UsageException($"unknown workload '{name}': use one of {string.Join(", ", Names)}"),
    };

    /// <summary>
    /// The user's own static executable at <paramref name="path"/> with <paramref name="arguments"/>, as a
    /// trusted program measured whole (start-up and exit included: there is no baseline run to subtract).
    /// </summary>
    public static Workload Program(string path, IReadOnlyList<string> arguments) => new()
    {
        Name = Path.GetFileName(path),
        Description = $"the program {Path.GetFileName(path)}",
        BuildGuest = () => path,
        Arguments = arguments,
        // Unknown until it has run: a guess for the progress bar, replaced by the actual count after each run.
        EstimatedInstructions = 100_000_000,
    };

    private static Workload Microbenchmark(string name, string source, string description, long iterations, long instructionsPerIteration)
    {
        long baseline = Math.Max(iterations / 10, 1);
        string Count(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new Workload
        {
            Name = name,
            Description = description,
            BuildGuest = () => GuestCompiler.Build(Path.Combine(AppContext.BaseDirectory, "guests", source)),
            Arguments = [Count(baseline + iterations)],
            BaselineArguments = [Count(baseline)],
            Operations = iterations,
            OperationName = "iteration",
            // Static glibc start-up and exit are about 35,000 instructions; each run pays them once.
            EstimatedInstructions = 2 * 35_000 + (iterations + 2 * baseline) * instructionsPerIteration,
        };
    }
}
