namespace KmlSim.Harness;

/// <summary>
/// A program the harness runs under each kernel: a C guest from benchmarks/guests/ (built with gcc -O2
/// -static on first use, cached), its arguments, the files it needs, and whether it runs as a trusted process
/// (under /trusted, so KML runs it in ring 0). The same workload, arguments and seed run under both
/// kernels; nothing else differs. The seed is the machine's (AT_RANDOM, getrandom, /dev/urandom) and is
/// passed to the workload's files (e.g. the Wisconsin data permutation).
/// </summary>
internal sealed record Workload
{
    /// <summary>The name used on the command line and in reports.</summary>
    public required string Name { get; init; }

    /// <summary>One line on what it measures.</summary>
    public required string Description { get; init; }

    /// <summary>Builds the guest executable (or finds it in the guest cache) and returns its path.</summary>
    public required Func<string> BuildGuest { get; init; }

    /// <summary>The guest's arguments (argv[1..]).</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>
    /// Arguments of a shorter run subtracted from the main one, or null: the difference leaves out
    /// start-up and exit, so it covers exactly <see cref="Operations"/> operations.
    /// </summary>
    public IReadOnlyList<string>? BaselineArguments { get; init; }

    /// <summary>Operations the measured part covers (iterations, or loops): the divisor of per-operation figures.</summary>
    public long Operations { get; init; } = 1;

    /// <summary>What one operation is, for reports ("iteration", "loop", "run").</summary>
    public string OperationName { get; init; } = "run";

    /// <summary>Files put into the simulated file system before each run.</summary>
    public IReadOnlyList<WorkloadFile> Files { get; init; } = [];

    /// <summary>Runs the program as /trusted/bin/NAME (in both kernels, so only the kernel differs).</summary>
    public bool Trusted { get; init; } = true;

    /// <summary>Guest instructions one run of the main and baseline arguments retires, roughly (for the progress ETA only).</summary>
    public required long EstimatedInstructions { get; init; }

    /// <summary>What the measured part is, for report headers: the argument difference or the whole run.</summary>
    public string MeasuredPart => BaselineArguments is null
        ? $"whole run: {string.Join(' ', Arguments)}"
        : $"{Operations:N0} {OperationName}s: run '{string.Join(' ', Arguments)}' less run '{string.Join(' ', BaselineArguments)}' (start-up and exit cancel)";
}
