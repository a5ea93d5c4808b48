using Iced.Intel;
using KmlSim.Memory;
using KmlSim.Observation;
using KmlSim.Timing;
using KmlSim.Timing.Profiles;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Timing;

/// <summary>
/// Runs a microkernel loop under the Opteron 850 timing model: the body is repeated <c>iterations</c> times
/// (counter in R15), and the cost of one iteration is the difference between a long and a short run divided
/// by the difference in iterations, so that warm-up (cold caches, untrained predictor) cancels out.
/// </summary>
internal static class TimedSnippet
{
    public const ulong Code = 0x40_0000;
    public const ulong Data = 0x100_0000;

    /// <summary>Cycles per loop iteration, and the counters of the longer run.</summary>
    public static (double CyclesPerIteration, TimingReport Report) PerIteration(
        Action<Assembler> body, int shortRun, int longRun, Action<SnippetMachine>? setup = null, CpuProfile? profile = null)
    {
        TimingReport a = Run(body, shortRun, setup, profile);
        TimingReport b = Run(body, longRun, setup, profile);
        return ((double)(b.TotalCycles - a.TotalCycles) / (longRun - shortRun), b);
    }

    /// <summary>Counter difference per iteration between the two runs of <see cref="PerIteration"/>.</summary>
    public static double CounterPerIteration(Action<Assembler> body, string counter, int shortRun, int longRun, Action<SnippetMachine>? setup = null)
    {
        TimingReport a = Run(body, shortRun, setup, null);
        TimingReport b = Run(body, longRun, setup, null);
        return (double)(b.Counters[counter] - a.Counters[counter]) / (longRun - shortRun);
    }

    public static TimingReport Run(Action<Assembler> body, int iterations, Action<SnippetMachine>? setup, CpuProfile? profile)
    {
        var m = new SnippetMachine();
        setup?.Invoke(m);
        m.LoadCode(Code, a =>
        {
            var loop = a.CreateLabel();
            a.mov(r15, iterations);
            a.Label(ref loop);
            body(a);
            a.dec(r15);
            a.jnz(loop);
            a.hlt(); // at CPL 3 without an IDT: #GP ends the run
        });
        var model = (TimingModel)(profile ?? CpuProfiles.Opteron850).Attach(m.Cpu);
        m.Run(100_000_000);
        return model.Report();
    }

    /// <summary>Maps <paramref name="nodes"/> pointers at <paramref name="addressOf"/>(i), each pointing at node i + 1 (the last at node 0).</summary>
    public static void PointerRing(SnippetMachine m, int nodes, Func<int, ulong> addressOf)
    {
        for (int i = 0; i < nodes; i++)
        {
            ulong at = addressOf(i);
            m.Map(at & ~0xFFFUL, 4096, PageFlags.User | PageFlags.Writable);
            m.Poke(at, BitConverter.GetBytes(addressOf((i + 1) % nodes)));
        }
    }
}
