using KmlSim.Harness;
using KmlSim.Observation;

namespace KmlSim.Tests.Harness;

/// <summary>Hand-made measurements for testing report shapes without simulating.</summary>
internal static class HarnessSamples
{
    /// <summary>A measurement with the given cycles; the breakdown puts user cycles in User and system cycles in SyscallEntryExit.</summary>
    public static Measurement Measurement(long user, long system, long syscalls, long syscallInstructions) => new()
    {
        Instructions = (user + system) / 2,
        TotalCycles = user + system,
        UserCycles = user,
        SystemCycles = system,
        Syscalls = syscalls,
        SyscallInstructions = syscallInstructions,
        TranslatedSyscalls = syscalls - syscallInstructions,
        TimerInterrupts = 1,
        Breakdown = CostBreakdown.Categories.ToDictionary(c => c, c => c == CycleCauses.User ? user : c == CycleCauses.EntryExit ? system : 0L),
        Counters = new Dictionary<string, long> { ["instructions"] = (user + system) / 2 },
        HostSeconds = 0.5,
        Output = "same\n",
    };

    /// <summary>
    /// A comparison of 1,000 null system calls over two seeds: Stock 200 and 210 cycles a call (50 user),
    /// Kml 100 and 104 (10 user).
    /// </summary>
    public static WorkloadComparison NullSyscalls(int seeds = 2)
    {
        Workload workload = WorkloadCatalog.Find("getppid", 1000);
        Measurement[] stock = [Measurement(50_000, 150_000, 1000, 1000), Measurement(50_000, 160_000, 1000, 1000)];
        Measurement[] kml = [Measurement(10_000, 90_000, 1000, 0), Measurement(10_000, 94_000, 1000, 0)];
        return new WorkloadComparison(workload, Enumerable.Range(1, seeds).ToArray(), stock[..seeds], kml[..seeds]);
    }
}
