using BenchmarkDotNet.Attributes;

namespace KmlSim.Benchmarks;

/// <summary>The simulator's own speed in functional mode (no timing model) on the compute guest.</summary>
public class FunctionalSpeedBenchmarks : ComputeGuestBenchmark
{
    /// <summary>Runs the compute guest functionally.</summary>
    [Benchmark]
    public long RunComputeGuest() => RunComputeGuest(new MachineOptions());
}
