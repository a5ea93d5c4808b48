using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using KmlSim.Guests;

namespace KmlSim.Benchmarks;

/// <summary>
/// The shared shape of the simulator-speed suites: a real static glibc binary
/// (benchmarks/guests/compute.c: hashing, qsort, string routines, doubles; no system calls in its loop)
/// runs for exactly <see cref="Instructions"/> guest instructions per operation (start-up included: about
/// 0.1% of them), and the <see cref="SimulatedMipsColumn"/> turns the mean into simulated MIPS.
/// </summary>
[Config(typeof(Config))]
public abstract class ComputeGuestBenchmark
{
    private string guest = "";

    /// <summary>Guest instructions retired per operation.</summary>
    [Params(50_000_000L)]
    public long Instructions { get; set; }

    /// <summary>Builds the guest once (gcc -O2 -static, cached).</summary>
    [GlobalSetup]
    public void BuildGuest() => guest = GuestCompiler.Build(Path.Combine(AppContext.BaseDirectory, "guests", "compute.c"));

    /// <summary>Loads the guest on a machine built from <paramref name="options"/> and runs it for <see cref="Instructions"/> instructions.</summary>
    protected long RunComputeGuest(MachineOptions options)
    {
        var machine = new Machine(options);
        machine.Start(guest);
        RunResult result = machine.Run(RunLimits.Instructions(Instructions));
        if (result.Outcome != RunOutcome.Limit || (options.Timing is not null && result.Timing is null))
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
