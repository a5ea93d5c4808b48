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

    /// <summary>Event counters by name (instructions, macroOps, l1dMisses, branchMispredicts, ..., and the cross-cutting <see cref="CycleCauses.RefillCycles"/> and <see cref="CycleCauses.MemoryStallCycles"/>).</summary>
    public required IReadOnlyDictionary<string, long> Counters { get; init; }

    /// <summary>Cycles per accounting region, by <see cref="AccountingRegion"/> name.</summary>
    public required IReadOnlyDictionary<string, long> RegionCycles { get; init; }

    /// <summary>Cycles by cause, keyed by <see cref="CycleCauses"/> (every key present); the values add up to <see cref="TotalCycles"/> + <see cref="IdleCycles"/>.</summary>
    public required IReadOnlyDictionary<string, long> Breakdown { get; init; }

    /// <summary>Instructions retired by cause, with the keys of <see cref="Breakdown"/> (an event delivery counts as one; metered kernel work and idle count none).</summary>
    public required IReadOnlyDictionary<string, long> InstructionBreakdown { get; init; }

    /// <summary>Per system call, by name (as in <see cref="RunResult.UnimplementedSyscalls"/>): count and cycles by cause.</summary>
    public required IReadOnlyDictionary<string, SyscallCycles> Syscalls { get; init; }
}
