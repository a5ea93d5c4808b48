namespace KmlSim.Harness;

/// <summary>Sentences every report states, so that all of them say the same thing.</summary>
internal static class ReportText
{
    /// <summary>The rule that splits cycles, trap cycles included, between user and system time.</summary>
    public const string TrapRule =
        "user/system rule: each instruction is charged at retirement (retire(i) - retire(i-1) cycles) by its own address: " +
        "kernel half (>= 0xffff800000000000) = system, lower half = user. So SYSCALL (retiring at the user's address) " +
        "is user time and SYSRET system time; a KML process's own code at CPL 0 stays user time; interrupt and " +
        "exception delivery and the host-side system call bodies are system time.";

    /// <summary>How per-operation figures of workloads with a baseline are obtained.</summary>
    public const string BaselineRule =
        "microbenchmarks: a long run less a short run of the same program (e.g. 11,000 less 1,000 iterations), " +
        "so start-up and exit cancel and the figures cover exactly the difference in iterations";

    /// <summary>The profile line: its name and clock.</summary>
    public static string ProfileLine(Timing.Profiles.CpuProfile profile) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"timing profile: {profile.Name} at {profile.ClockHz / 1e9:0.0##} GHz");
}
