using KmlSim.Timing.Profiles;

namespace KmlSim.Harness;

/// <summary>The parsed arguments of <c>kmlsim run</c>.</summary>
/// <param name="Program">The guest executable.</param>
/// <param name="GuestArguments">Its arguments (argv[1..]).</param>
/// <param name="JsonPath">Where to write the JSON report, if anywhere.</param>
/// <param name="MaxInstructions">The instruction limit, if any.</param>
/// <param name="Timing">The timing profile (<c>--timing opteron850</c>, the default), or null for <c>--timing none</c>.</param>
internal sealed record RunArguments(string Program, IReadOnlyList<string> GuestArguments, string? JsonPath, long? MaxInstructions, CpuProfile? Timing)
{
    /// <summary>The kernel (<c>--mode</c>).</summary>
    public KernelMode Mode { get; init; } = KernelMode.Stock;

    /// <summary>Installs the program under /trusted/bin/ and runs it from there (<c>--trusted</c>).</summary>
    public bool Trusted { get; init; }

    /// <summary>The instruction count at which the host sends SIGINT to the first process (<c>--sigint-after</c>).</summary>
    public long? SigintAfter { get; init; }

    /// <summary>A host file whose bytes are the guest's standard input (<c>--stdin</c>).</summary>
    public string? StdinPath { get; init; }

    /// <summary>The output directory (<c>--outdir</c>): config.json there, and stats.json unless <c>--json</c> names another file.</summary>
    public string? OutDir { get; init; }

    /// <summary>What the run is, for config.json.</summary>
    public RunConfiguration? Configuration { get; init; }

    /// <summary>Host directories mapped read-only into the guest's file system (<c>--map HOSTDIR=GUESTDIR</c>).</summary>
    public IReadOnlyList<(string Host, string Guest)> Mappings { get; init; } = [];

    /// <summary>The host directory shown read-only as the guest's root (<c>--root DIR</c>); null: the default (see <see cref="RunCommand.Execute"/>).</summary>
    public string? Root { get; init; }

    /// <summary>argv[0] of the guest (<c>--argv0</c>); null: its guest path.</summary>
    public string? Argv0 { get; init; }

    /// <summary>The guest's environment (<c>--env K=V</c>, repeatable); empty by default.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>The guest's working directory (<c>--cwd DIR</c>), "/" by default.</summary>
    public string WorkingDirectory { get; init; } = "/";

    /// <summary>The seed of the guest's randomness (<c>--seed N</c>), 0 by default.</summary>
    public int Seed { get; init; }
}
