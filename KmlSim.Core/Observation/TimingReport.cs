namespace KmlSim.Observation;

/// <summary>What a timing model measured: cycles split by privilege half, event counters, and per-region cycles.</summary>
public sealed record TimingReport
{
    /// <summary>All cycles charged to retired instructions and kernel work (= <see cref="UserCycles"/> + <see cref="SystemCycles"/>).</summary>
    public required long TotalCycles { get; init; }

    /// <summary>Cycles of instructions in the lower (user) half of the address space.</summary>
    public required long UserCycles { get; init; }

    /// <summary>Cycles of instructions in the kernel half, event deliveries and kernel work.</summary>
    public required long SystemCycles { get; init; }

    /// <summary>Cycles the CPU spent halted (not part of <see cref="TotalCycles"/>).</summary>
    public required long IdleCycles { get; init; }

    /// <summary>Event counters by name (instructions, macroOps, l1dMisses, branchMispredicts, ...).</summary>
    public required IReadOnlyDictionary<string, long> Counters { get; init; }

    /// <summary>Cycles per accounting region, by region name.</summary>
    public required IReadOnlyDictionary<string, long> RegionCycles { get; init; }
}
