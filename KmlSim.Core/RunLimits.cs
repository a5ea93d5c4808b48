namespace KmlSim;

/// <summary>How long one call of <see cref="Machine.Run"/> may go on.</summary>
/// <param name="MaxInstructions">Guest instructions this call may retire before it returns with <see cref="RunOutcome.Limit"/>.</param>
public readonly record struct RunLimits(long MaxInstructions)
{
    /// <summary>No limit: run until the program ends.</summary>
    public static RunLimits None => new(long.MaxValue);

    /// <summary>At most <paramref name="count"/> instructions.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive.</exception>
    public static RunLimits Instructions(long count) =>
        count > 0 ? new(count) : throw new ArgumentOutOfRangeException(nameof(count), "the instruction limit must be positive");
}
