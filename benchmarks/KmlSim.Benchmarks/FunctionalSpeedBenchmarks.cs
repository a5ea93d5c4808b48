using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using KmlSim.Guests;

namespace KmlSim.Benchmarks;

/// <summary>
/// The simulator's own speed in functional mode (no timing model): a real static glibc binary
/// (benchmarks/guests/compute.c: hashing, qsort, string routines, doubles; no system calls in its loop)
/// runs for exactly <see cref="Instructions"/> guest instructions per operation (start-up included: about
/// 0.1% of them).
/// </summary>
[Config(typeof(Config))]
public class FunctionalSpeedBenchmarks
{
    private string guest = "";

    /// <summary>Guest instructions retired per operation.</summary>
    [Params(50_000_000L)]
    public long Instructions { get; set; }

    /// <summary>Builds the guest once (gcc -O2 -static, cached).</summary>
    [GlobalSetup]
    public void BuildGuest() => guest = GuestCompiler.Build(Path.Combine(AppContext.BaseDirectory, "guests", "compute.c"));

    /// <summary>Loads the guest and runs it for <see cref="Instructions"/> instructions.</summary>
    [Benchmark]
    public long RunComputeGuest()
    {
        var machine = new Machine();
        machine.Start(guest);
        RunResult result = machine.Run(RunLimits.Instructions(Instructions));
        if (result.Outcome != RunOutcome.Limit)
        {
            throw new InvalidOperationException($"the compute guest stopped early: {result.Outcome}");
        }

        return result.Instructions;
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new SimulatedMipsColumn());
    }
}
