namespace KmlSim.Observation;

/// <summary>
/// What one system call (by name) cost over a run. A call's cycles run from the instruction that entered the
/// kernel for it (SYSCALL, or a KML process's call to the direct entry) up to, not including, the next
/// user-half instruction; body work is charged to the call whose body ran it. A call that blocked counts its
/// attempts' cycles (including what the scheduler did meanwhile) but is counted once, when its body completes.
/// </summary>
public sealed record SyscallCycles
{
    /// <summary>Completed bodies.</summary>
    public required long Count { get; init; }

    /// <summary>All cycles charged to the call (= the sum of <see cref="Breakdown"/>).</summary>
    public required long Cycles { get; init; }

    /// <summary>The cycles by cause, keyed by <see cref="CycleCauses"/> (every key present).</summary>
    public required IReadOnlyDictionary<string, long> Breakdown { get; init; }

    /// <summary>Instructions retired by cause, with the same keys (an event delivery counts as one; metered kernel work and idle count none).</summary>
    public required IReadOnlyDictionary<string, long> Instructions { get; init; }
}
