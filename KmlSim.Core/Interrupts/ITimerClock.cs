namespace KmlSim.Interrupts;

/// <summary>
/// The time base of the <see cref="LocalTimer"/>. In functional runs it counts retired instructions; a
/// timing model replaces it with its cycle counter. The CPU never reads the clock per instruction: it asks
/// once how many instructions may retire before a deadline, runs at most that many, then asks again. A
/// clock that sees every instruction retire (a timing model) can instead answer "no limit" and call
/// <see cref="LocalTimer.DeadlineReached"/> at the instruction that reaches the deadline, so that the run
/// loop neither splits blocks nor polls ever more often as the deadline approaches.
/// </summary>
public interface ITimerClock
{
    /// <summary>The current time in ticks.</summary>
    long Now { get; }

    /// <summary>
    /// How many instructions may retire before <see cref="Now"/> can reach <paramref name="deadline"/>
    /// (at least 1 when the deadline lies in the future). An estimate is fine if it never overshoots: the
    /// CPU checks the deadline again after that many instructions. A clock that reports the deadline itself
    /// (<see cref="LocalTimer.DeadlineReached"/>) answers <see cref="long.MaxValue"/>; the deadline it was
    /// given is the one to report, and a later call replaces it.
    /// </summary>
    long InstructionsBefore(long deadline);

    /// <summary>Time passes with nothing retiring (HLT waiting for an interrupt) until <paramref name="deadline"/>.</summary>
    void IdleUntil(long deadline);
}
