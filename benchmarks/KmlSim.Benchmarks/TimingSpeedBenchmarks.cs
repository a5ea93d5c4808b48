using BenchmarkDotNet.Attributes;
using KmlSim.Timing.Profiles;

namespace KmlSim.Benchmarks;

/// <summary>
/// The simulator's speed with the Opteron 850 timing model attached: the same compute guest and instruction
/// count as <see cref="FunctionalSpeedBenchmarks"/>, so that the two MIPS figures compare directly.
/// </summary>
public class TimingSpeedBenchmarks : ComputeGuestBenchmark
{
    /// <summary>Runs the compute guest under the timing model.</summary>
    [Benchmark]
    public long RunComputeGuestTimed() => RunComputeGuest(new MachineOptions { Timing = CpuProfiles.Opteron850 });
}
