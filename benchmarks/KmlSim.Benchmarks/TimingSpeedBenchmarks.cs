using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using KmlSim.Guests;
using KmlSim.Timing.Profiles;

namespace KmlSim.Benchmarks;

/// <summary>
/// The simulator's speed with the Opteron 850 timing model attached: the same compute guest and instruction
/// count as <see cref="FunctionalSpeedBenchmarks"/>, so that the two MIPS figures compare directly.
/// </summary>
[Config(typeof(Config))]
public class TimingSpeedBenchmarks
{
    private string guest = "";

    /// <summary>Guest instructions retired per operation.</summary>
    [Params(50_000_000L)]
    public long Instructions { get; set; }

    /// <summary>Builds the guest once (gcc -O2 -static, cached).</summary>
    [GlobalSetup]
    public void BuildGuest() => guest = GuestCompiler.Build(Path.Combine(AppContext.BaseDirectory, "guests", "compute.c"));

    /// <summary>Loads the guest and runs it under the timing model for <see cref="Instructions"/> instructions.</summary>
    [Benchmark]
    public long RunComputeGuestTimed()
    {
        var machine = new Machine(new MachineOptions { Timing = CpuProfiles.Opteron850 });
        machine.Start(guest);
        RunResult result = machine.Run(RunLimits.Instructions(Instructions));
        if (result.Outcome != RunOutcome.Limit || result.Timing is null)
        {
            throw new InvalidOperationException($"the compute guest stopped early or was not timed: {result.Outcome}");
        }

        return result.Instructions;
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new SimulatedMipsColumn());
    }
}
