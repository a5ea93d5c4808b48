using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using KmlSim.Guests;
using KmlSim.Timing.Profiles;

namespace KmlSim.Benchmarks;

/// <summary>
/// The shape of the stock-vs-KML microbenchmark suites: a C guest from benchmarks/guests/ that loops over one
/// operation as many times as its argument says runs under the Opteron 850 timing model, under Stock
/// Linux as an ordinary process or under KML as a trusted one (/trusted/bin/NAME, ring 0). BenchmarkDotNet
/// times the host per loop iteration; the <see cref="SimulatedCyclesColumn"/>s show the simulated cycles per
/// iteration beside it.
/// </summary>
[Config(typeof(Config))]
public abstract class GuestLoopBenchmark
{
    /// <summary>Loop iterations per benchmark operation (the host time BenchmarkDotNet shows is divided by it).</summary>
    public const int Iterations = 10_000;

    // Simulation is deterministic, so each (guest, mode) is measured once per process: in the benchmark's
    // global setup when it runs in process, else when a column first asks.
    private static readonly ConcurrentDictionary<(string Source, KernelMode Mode), Lazy<SimulatedCycles>> Measured = new();
    private string guest = "";

    /// <summary>The kernel: stock Linux, or KML with the guest trusted.</summary>
    [Params(KernelMode.Stock, KernelMode.Kml)]
    public KernelMode Mode { get; set; }

    /// <summary>The guest's C source file in benchmarks/guests/; its first argument is the iteration count.</summary>
    protected abstract string GuestSource { get; }

    /// <summary>Builds the guest (gcc -O2 -static, cached) and measures its simulated cycles per iteration.</summary>
    [GlobalSetup]
    public void BuildAndMeasureGuest()
    {
        guest = Build(GuestSource);
        _ = CyclesPerIteration();
    }

    /// <summary>Runs the guest's loop <see cref="Iterations"/> times (start-up included) and returns the instructions it retired.</summary>
    [Benchmark(OperationsPerInvoke = Iterations)]
    public long RunLoop() => Run(guest, Mode, Iterations).Instructions;

    /// <summary>
    /// Simulated cycles per loop iteration under <see cref="Mode"/>: the difference between a run of
    /// 2 × <see cref="Iterations"/> and one of <see cref="Iterations"/>, divided by <see cref="Iterations"/>,
    /// so that start-up and exit cancel and the caches and predictors are warm.
    /// </summary>
    public SimulatedCycles CyclesPerIteration() =>
        Measured.GetOrAdd((GuestSource, Mode), key => new Lazy<SimulatedCycles>(() => Measure(key.Source, key.Mode))).Value;

    private static SimulatedCycles Measure(string source, KernelMode mode)
    {
        string binary = Build(source);
        Observation.TimingReport shorter = Run(binary, mode, Iterations).Timing!;
        Observation.TimingReport longer = Run(binary, mode, 2 * Iterations).Timing!;
        return new SimulatedCycles(
            (double)(longer.TotalCycles - shorter.TotalCycles) / Iterations,
            (double)(longer.UserCycles - shorter.UserCycles) / Iterations,
            (double)(longer.SystemCycles - shorter.SystemCycles) / Iterations);
    }

    private static string Build(string source) => GuestCompiler.Build(Path.Combine(AppContext.BaseDirectory, "guests", source));

    private static RunResult Run(string binary, KernelMode mode, int iterations)
    {
        var machine = new Machine(new MachineOptions { KernelMode = mode, Trusted = mode == KernelMode.Kml, Timing = CpuProfiles.Opteron850 });
        machine.Start(binary, [iterations.ToString(CultureInfo.InvariantCulture)]);
        // A bound far above the few hundred instructions per iteration any of these loops takes.
        RunResult result = machine.Run(RunLimits.Instructions(1_000L * iterations + 50_000_000));
        if (result.Outcome != RunOutcome.Exited || result.ExitCode != 0 || result.Timing is null)
        {
            string stderr = System.Text.Encoding.UTF8.GetString(result.Stderr);
            throw new InvalidOperationException($"{Path.GetFileName(binary)} {iterations} under {mode}: {result.Outcome}, exit {result.ExitCode}, signal {result.Signal} {result.Message} {stderr}");
        }

        return result;
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(SimulatedCyclesColumn.Total, SimulatedCyclesColumn.User, SimulatedCyclesColumn.System);
    }
}
