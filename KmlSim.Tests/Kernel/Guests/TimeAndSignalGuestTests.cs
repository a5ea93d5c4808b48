using System.Text;
using KmlSim.Guests;
using KmlSim.Timing.Profiles;

namespace KmlSim.Tests.Kernel.Guests;

/// <summary>
/// Sleeping, CPU time and waiting for signals: C guests compared with their native runs under Stock and
/// under KML from /trusted, and the simulated times checked against their definitions (POSIX nanosleep
/// sleeps at least the request; Linux 2.6.11 wakes a sleeper at a 1000 Hz timer tick, so at most one tick
/// late plus the kernel's own work; getrusage reports the CPU time the process used).
/// </summary>
public class TimeAndSignalGuestTests
{
    private const long CyclesPerMicrosecond = 2400; // the Opteron 850's 2.4 GHz (SimulatedClock)
    private const long TickNanoseconds = 1_000_000; // HZ = 1000

    [TestCase("sleeps", KernelMode.Stock)]
    [TestCase("sleeps", KernelMode.Kml)]
    [TestCase("sigwaits", KernelMode.Stock)]
    [TestCase("sigwaits", KernelMode.Kml)]
    [TestCase("rusage", KernelMode.Stock)]
    [TestCase("rusage", KernelMode.Kml)]
    public void GuestIsAsOnTheHost(string guest, KernelMode mode)
    {
        GuestRuns.AssertSameAsNative(guest, mode);
    }

    /// <summary>
    /// Each sleep takes at least what was asked and ends at the first tick after it (at most one tick and
    /// a little kernel work late); a child computing meanwhile runs inside the parent's sleep, so the two
    /// together take the sleep, not the sleep plus the child's CPU time.
    /// </summary>
    [TestCase(KernelMode.Stock)]
    [TestCase(KernelMode.Kml)]
    public void SleepsLastTheRequestedSimulatedTime(KernelMode mode)
    {
        Dictionary<string, long[]> lines = Report("sleeps", mode, timing: false).Lines;
        TestContext.Out.WriteLine(string.Join("; ", lines.Select(l => $"{l.Key} {string.Join(' ', l.Value)}")));
        Assert.Multiple(() =>
        {
            foreach (string name in new[] { "nanosleep", "absolute", "overlap" })
            {
                long requested = lines[name][0], elapsed = lines[name][1];
                Assert.That(elapsed, Is.InRange(requested, requested + TickNanoseconds + (TickNanoseconds / 10)), name);
            }

            long together = lines["together"][0], child = lines["child"][0];
            Assert.That(child, Is.GreaterThan(2 * TickNanoseconds), "the child computes for more than the allowed lateness");
            Assert.That(together, Is.LessThan(lines["overlap"][0] + child), "the child ran while its parent slept");
        });
    }

    /// <summary>
    /// With the timing model, time nobody runs is idle: at least the two sleeps with no other process, at
    /// most all three sleeps (each up to a tick late), and none of it user or system time.
    /// </summary>
    [Test]
    public void SleepingTimeIsIdleTime()
    {
        (Dictionary<string, long[]> lines, RunResult run) = Report("sleeps", KernelMode.Stock, timing: true);
        long aloneNanoseconds = lines["nanosleep"][0] + lines["absolute"][0];
        long idleNanoseconds = run.Timing!.IdleCycles * 1000 / CyclesPerMicrosecond;
        TestContext.Out.WriteLine($"idle {idleNanoseconds} ns, alone {aloneNanoseconds} ns, total {run.Timing.TotalCycles} cycles");
        Assert.That(idleNanoseconds, Is.InRange(aloneNanoseconds, aloneNanoseconds + lines["overlap"][0] + (3 * TickNanoseconds)));
    }

    /// <summary>
    /// A CPU-bound process that reports its getrusage just before it exits: user and system time are the
    /// run's user and system cycles (with the timing model; without it, retired instructions at 2.4 GHz),
    /// less the little work after the call (printf, exit): within 50 µs.
    /// </summary>
    [TestCase(KernelMode.Stock, true)]
    [TestCase(KernelMode.Kml, true)]
    [TestCase(KernelMode.Stock, false)]
    public void GetrusageIsTheRunsCpuTime(KernelMode mode, bool timing)
    {
        (Dictionary<string, long[]> _, RunResult run, long[] usage) = ReportUsage(mode, timing);
        const long slack = 50 * CyclesPerMicrosecond;
        long user = usage[0] * CyclesPerMicrosecond, system = usage[1] * CyclesPerMicrosecond;
        TestContext.Out.WriteLine($"{mode} timing {timing}: rusage user {usage[0]} us system {usage[1]} us; run {run.Timing?.UserCycles} / {run.Timing?.SystemCycles} cycles, {run.Instructions} instructions");
        Assert.Multiple(() =>
        {
            if (timing)
            {
                Assert.That(user, Is.InRange(run.Timing!.UserCycles - slack, run.Timing.UserCycles));
                Assert.That(system, Is.InRange(run.Timing.SystemCycles - slack, run.Timing.SystemCycles));
            }
            else
            {
                Assert.That(user + system, Is.InRange(run.Instructions - slack, run.Instructions));
            }

            Assert.That(user, Is.GreaterThan(10 * system), "the work is user code");
        });
    }

    private static (Dictionary<string, long[]>, RunResult, long[]) ReportUsage(KernelMode mode, bool timing)
    {
        (Dictionary<string, long[]> lines, RunResult run) = Report("rusage", mode, timing);
        string last = Encoding.UTF8.GetString(run.Stdout).TrimEnd('\n').Split('\n')[^1];
        return (lines, run, last.Split(' ').Select(long.Parse).ToArray());
    }

    /// <summary>Runs a guest with the argument "report"; its lines "name n..." by name.</summary>
    private static (Dictionary<string, long[]> Lines, RunResult Run) Report(string guest, KernelMode mode, bool timing)
    {
        string binary = GuestRuns.Build(guest, GuestToolchain.Glibc);
        var machine = new Machine(new MachineOptions { KernelMode = mode, Trusted = mode == KernelMode.Kml, Timing = timing ? CpuProfiles.Opteron850 : null });
        machine.Start(binary, ["report"]);
        RunResult run = machine.Run(RunLimits.Instructions(GuestRuns.InstructionBudget));
        Assert.That(run.Outcome, Is.EqualTo(RunOutcome.Exited), run.Message);
        var lines = new Dictionary<string, long[]>();
        foreach (string line in Encoding.UTF8.GetString(run.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] words = line.Split(' ');
            if (words.Skip(1).All(w => long.TryParse(w, out _)))
            {
                lines[words[0]] = words.Skip(1).Select(long.Parse).ToArray();
            }
        }

        return (lines, run);
    }
}
