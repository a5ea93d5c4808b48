namespace KmlSim.Kernel;

/// <summary>
/// Guest time derived from the local timer's clock (cycles with a timing model, retired instructions
/// without), so that every clock a guest reads is deterministic. Without a timing model each instruction is
/// taken to cost one cycle of the Opteron 850's 2.4 GHz clock: 1 instruction = 1/2.4 ns, i.e. 12
/// instructions = 5 ns. RDTSC counts the same ticks. Wall-clock time starts at <see cref="EpochSeconds"/>.
/// </summary>
internal static class SimulatedClock
{
    /// <summary>The simulated core clock in Hz.</summary>
    public const ulong ClockHz = 2_400_000_000;

    /// <summary>Wall-clock (CLOCK_REALTIME) at instruction 0: 2005-01-01T00:00:00Z, the Opteron 850's era.</summary>
    public const ulong EpochSeconds = 1_104_537_600;

    /// <summary>Monotonic time at instruction 0: the simulated machine has been up for 100 s (never zero, as on Linux).</summary>
    public const ulong BootNanoseconds = 100_000_000_000;

    /// <summary>AT_CLKTCK: the USER_HZ of times() and /proc.</summary>
    public const ulong TicksPerSecond = 100;

    /// <summary>Nanoseconds of simulated execution after <paramref name="ticks"/> clock ticks (cycles at 2.4 GHz).</summary>
    public static ulong ElapsedNanoseconds(long ticks) => ((ulong)ticks / 12 * 5) + ((ulong)ticks % 12 * 5 / 12);

    /// <summary>
    /// The clock time that never comes: the clock counts cycles in 63 bits, about 121 years at 2.4 GHz, and a
    /// time past that is never reached, as Linux's timers saturate at KTIME_MAX and never fire.
    /// </summary>
    public const long Never = long.MaxValue;

    /// <summary>
    /// Clock ticks (cycles) that span at least <paramref name="nanoseconds"/>: 2.4 per nanosecond, rounded
    /// up so that a sleep never ends early; <see cref="Never"/> when that many do not fit the clock.
    /// </summary>
    public static long TicksFor(ulong nanoseconds)
    {
        UInt128 ticks = (((UInt128)nanoseconds * 12) + 4) / 5;
        return ticks >= Never ? Never : (long)ticks;
    }

    /// <summary>A timespec as nanoseconds, saturating at 2^32 seconds (136 years, past the clock's end: <see cref="Never"/>).</summary>
    public static ulong SpanNanoseconds(ulong seconds, ulong nanoseconds) =>
        seconds >= 1UL << 32 ? (1UL << 32) * 1_000_000_000 : (seconds * 1_000_000_000) + nanoseconds;

    /// <summary>The clock time <paramref name="nanoseconds"/> after <paramref name="now"/>, or <see cref="Never"/> when that lies past the clock's end.</summary>
    public static long DeadlineAfter(long now, ulong nanoseconds)
    {
        long ticks = TicksFor(nanoseconds);
        return ticks >= Never - now ? Never : now + ticks;
    }

    /// <summary>The clock time at which a clock that read <paramref name="origin"/> ns at boot reads <paramref name="nanoseconds"/> (0 if it already had).</summary>
    public static long DeadlineAt(ulong nanoseconds, ulong origin) => nanoseconds <= origin ? 0 : TicksFor(nanoseconds - origin);

    /// <summary>USER_HZ ticks (times(), SIGCHLD's si_utime) in <paramref name="ticks"/> clock ticks.</summary>
    public static long UserHzTicks(long ticks) => (long)(ElapsedNanoseconds(ticks) / (1_000_000_000 / TicksPerSecond));
}
