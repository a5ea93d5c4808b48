namespace KmlSim.Harness;

/// <summary>
/// What one workload run under one kernel mode cost, or the difference of two runs (a long run less a
/// short one, which leaves out start-up and exit). Cycles are the timing model's: user + system = total.
/// </summary>
internal sealed record Measurement
{
    /// <summary>Guest instructions retired (all processes, kernel code included).</summary>
    public required long Instructions { get; init; }

    /// <summary>All cycles charged (user + system).</summary>
    public required long TotalCycles { get; init; }

    /// <summary>Cycles of instructions in the lower (user) half of the address space.</summary>
    public required long UserCycles { get; init; }

    /// <summary>Cycles of kernel-half instructions, event deliveries and metered kernel work.</summary>
    public required long SystemCycles { get; init; }

    /// <summary>System calls made (however they entered the kernel).</summary>
    public required long Syscalls { get; init; }

    /// <summary>SYSCALL instructions that entered the kernel through the SYSCALL/SYSRET path.</summary>
    public required long SyscallInstructions { get; init; }

    /// <summary>SYSCALL instructions of trusted processes run as calls to KML's direct entry.</summary>
    public required long TranslatedSyscalls { get; init; }

    /// <summary>Timer interrupts taken.</summary>
    public required long TimerInterrupts { get; init; }

    /// <summary>Cycles by cause (<see cref="CostBreakdown.Of"/>).</summary>
    public required IReadOnlyDictionary<string, long> Breakdown { get; init; }

    /// <summary>Timing event counters (instructions, refills, misses, ...).</summary>
    public required IReadOnlyDictionary<string, long> Counters { get; init; }

    /// <summary>Host seconds spent simulating.</summary>
    public required double HostSeconds { get; init; }

    /// <summary>What the guest printed (to check that both kernels ran the same program to the same end).</summary>
    public required string Output { get; init; }

    /// <summary>The measurement of a finished timed run.</summary>
    /// <exception cref="ArgumentException">The run was not timed.</exception>
    public static Measurement Of(RunResult run)
    {
        Observation.TimingReport timing = run.Timing ?? throw new ArgumentException("the run was not timed", nameof(run));
        return new Measurement
        {
            Instructions = run.Instructions,
            TotalCycles = timing.TotalCycles,
            UserCycles = timing.UserCycles,
            SystemCycles = timing.SystemCycles,
            Syscalls = run.Syscalls,
            SyscallInstructions = run.SyscallInstructions,
            TranslatedSyscalls = run.TranslatedSyscalls,
            TimerInterrupts = run.TimerInterrupts,
            Breakdown = CostBreakdown.Of(timing),
            Counters = CostBreakdown.CountersOf(timing),
            HostSeconds = run.HostSeconds,
            Output = System.Text.Encoding.UTF8.GetString(run.Stdout),
        };
    }

    /// <summary>This run less <paramref name="baseline"/>, field by field (host seconds and output stay this run's).</summary>
    public Measurement Minus(Measurement baseline) => this with
    {
        Instructions = Instructions - baseline.Instructions,
        TotalCycles = TotalCycles - baseline.TotalCycles,
        UserCycles = UserCycles - baseline.UserCycles,
        SystemCycles = SystemCycles - baseline.SystemCycles,
        Syscalls = Syscalls - baseline.Syscalls,
        SyscallInstructions = SyscallInstructions - baseline.SyscallInstructions,
        TranslatedSyscalls = TranslatedSyscalls - baseline.TranslatedSyscalls,
        TimerInterrupts = TimerInterrupts - baseline.TimerInterrupts,
        Breakdown = Subtract(Breakdown, baseline.Breakdown),
        Counters = Subtract(Counters, baseline.Counters),
    };

    private static Dictionary<string, long> Subtract(IReadOnlyDictionary<string, long> minuend, IReadOnlyDictionary<string, long> subtrahend)
    {
        var difference = new Dictionary<string, long>();
        foreach (var (key, value) in minuend)
        {
            difference[key] = value - subtrahend.GetValueOrDefault(key);
        }

        return difference;
    }
}
