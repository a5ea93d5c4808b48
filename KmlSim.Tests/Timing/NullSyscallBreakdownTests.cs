using Iced.Intel;
using KmlSim.Observation;
using KmlSim.Tests.Kernel.Elf;
using KmlSim.Timing.Profiles;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Timing;

/// <summary>
/// The null system call (getppid, lmbench's "null") through the whole
/// simulated kernel, Stock vs KML (2.6.11 entry.S and kml_4.0_001.diff), read through the cycle breakdown. Per-call figures
/// are differences between a long and a short run, so that start-up and warm-up cancel out.
/// </summary>
[Category("Timing")]
public class NullSyscallBreakdownTests
{
    private const int ShortRun = 200;
    private const int LongRun = 1200;
    private const int Getppid = 110;
    private static readonly CpuProfile Profile = CpuProfiles.Opteron850;
    private readonly List<string> files = [];

    [TearDown]
    public void DeleteImages()
    {
        foreach (string file in files)
        {
            File.Delete(file);
        }
    }

    [Test]
    public void StockPaysOneSyscallOneSysretAndTwoSwapgsPerCallAtTheirTableCosts()
    {
        PerCall stock = Measure(KernelMode.Stock, trusted: false);
        TestContext.Out.WriteLine($"Stock getppid: {stock}");
        Assert.Multiple(() =>
        {
            Assert.That(stock.Instructions(CycleCauses.SyscallInstruction), Is.EqualTo(1));
            Assert.That(stock.Instructions(CycleCauses.Sysret), Is.EqualTo(1));
            Assert.That(stock.Instructions(CycleCauses.Swapgs), Is.EqualTo(2));
            Assert.That(stock.Instructions(CycleCauses.Iretq), Is.Zero, "the fast path exits with SYSRET");

            // Each serialising instruction is charged its microcode latency (SYSCALL 27, SYSRET 35: [AMD-25112]
            // Table 13, reference §4; SWAPGS the profile's 10-cycle estimate), plus at most the front-end
            // refill after the serialising instruction before it (the profile's 7 front-end stages).
            Assert.That(stock.Cycles(CycleCauses.SyscallInstruction), Is.InRange(27, 27 + Profile.FrontEndStages));
            Assert.That(stock.Cycles(CycleCauses.Sysret), Is.InRange(35, 35 + Profile.FrontEndStages));
            Assert.That(stock.Cycles(CycleCauses.Swapgs), Is.InRange(2 * 10, 2 * (10 + Profile.FrontEndStages)));
        });
    }

    [Test]
    public void KmlPaysNoneOfThemAndLessPerCall()
    {
        PerCall stock = Measure(KernelMode.Stock, trusted: false);
        PerCall kml = Measure(KernelMode.Kml, trusted: true);
        TestContext.Out.WriteLine($"Stock getppid: {stock}");
        TestContext.Out.WriteLine($"Kml getppid: {kml}");
        Assert.Multiple(() =>
        {
            foreach (string cause in new[] { CycleCauses.SyscallInstruction, CycleCauses.Sysret, CycleCauses.Swapgs, CycleCauses.Iretq })
            {
                Assert.That(kml.Instructions(cause), Is.Zero, cause);
                Assert.That(kml.Cycles(cause), Is.Zero, cause);
            }

            Assert.That(kml.Total, Is.LessThan(stock.Total));
            Assert.That(kml.Cycles(CycleCauses.SyscallBody), Is.EqualTo(stock.Cycles(CycleCauses.SyscallBody)).Within(1), "the same body in both modes");
        });
    }

    [Test]
    public void TheSyscallsBreakdownAddsUpAndMatchesTheRunTotal()
    {
        TimingReport report = Run(KernelMode.Stock, trusted: false, LongRun);
        SyscallCycles getppid = report.Syscalls["getppid"];
        Assert.Multiple(() =>
        {
            Assert.That(report.Breakdown.Keys, Is.EquivalentTo(CycleCauses.All));
            Assert.That(report.Breakdown.Values.Sum(), Is.EqualTo(report.TotalCycles + report.IdleCycles));
            Assert.That(report.InstructionBreakdown.Values.Sum(), Is.EqualTo(report.Counters["instructions"]));
            Assert.That(getppid.Count, Is.EqualTo(LongRun));
            Assert.That(getppid.Breakdown.Values.Sum(), Is.EqualTo(getppid.Cycles));
            Assert.That(report.Syscalls.Values.Sum(call => call.Cycles), Is.LessThanOrEqualTo(report.SystemCycles + report.Breakdown[CycleCauses.SyscallInstruction]));
            Assert.That(report.Counters[CycleCauses.MemoryStallCycles], Is.GreaterThan(0), "cold caches at start");
        });
    }

    [Test]
    public void StockRefillsTheFrontEndAfterEachOfItsFourSerialisingInstructionsAndKmlNever()
    {
        // SYSCALL, SWAPGS, SWAPGS and SYSRET serialise (reference §4; AMD64 APM vol. 3): after each the front end
        // restarts (the profile's 7 stages). KML's path has none of them (kml_4.0_001.diff).
        double Refill(KernelMode mode, bool trusted) =>
            (double)(Run(mode, trusted, LongRun).Counters[CycleCauses.RefillCycles] - Run(mode, trusted, ShortRun).Counters[CycleCauses.RefillCycles]) / (LongRun - ShortRun);
        double stock = Refill(KernelMode.Stock, trusted: false);
        double kml = Refill(KernelMode.Kml, trusted: true);
        TestContext.Out.WriteLine($"refill cycles per getppid: Stock {stock:F1}, Kml {kml:F1}");
        Assert.Multiple(() =>
        {
            Assert.That(stock, Is.EqualTo(4 * Profile.FrontEndStages).Within(10).Percent);
            Assert.That(kml, Is.Zero.Within(0.01));
        });
    }

    [Test]
    public void CallAndReturnInTheSameMachineCostTwoToFourCycles()
    {
        // reference §3: CALL+RET pair about 2-4 cycles (estimate: two taken redirects, a store and a load).
        double Cycles(int calls)
        {
            string program = Write(ElfImageBuilder.Program(a =>
            {
                var loop = a.CreateLabel();
                var function = a.CreateLabel();
                a.mov(ebx, calls);
                a.Label(ref loop);
                a.call(function);
                a.dec(ebx);
                a.jnz(loop);
                a.mov(eax, 231);
                a.xor(edi, edi);
                a.syscall();
                a.Label(ref function);
                a.ret();
            }));
            return Execute(program, KernelMode.Stock, trusted: false).UserCycles;
        }

        double perLoop = (Cycles(LongRun) - Cycles(ShortRun)) / (LongRun - ShortRun);
        double empty = EmptyLoop();
        double callRet = perLoop - empty;
        PerCall stock = Measure(KernelMode.Stock, trusted: false);
        TestContext.Out.WriteLine($"CALL+RET {callRet:F2} cycles; Stock null system call {stock.Total:F1} cycles = {stock.Total / callRet:F0} CALL+RET pairs");
        Assert.That(callRet, Is.InRange(2.0, 4.0 * 1.1));
    }

    [Test]
    public void TheSameRunTwiceGivesAnIdenticalReport()
    {
        TimingReport first = Run(KernelMode.Kml, trusted: true, ShortRun);
        TimingReport second = Run(KernelMode.Kml, trusted: true, ShortRun);
        Assert.Multiple(() =>
        {
            Assert.That(second.TotalCycles, Is.EqualTo(first.TotalCycles));
            Assert.That(second.Counters, Is.EqualTo(first.Counters));
            Assert.That(second.RegionCycles, Is.EqualTo(first.RegionCycles));
            Assert.That(second.Breakdown, Is.EqualTo(first.Breakdown));
            Assert.That(second.InstructionBreakdown, Is.EqualTo(first.InstructionBreakdown));
            Assert.That(second.Syscalls.Keys, Is.EquivalentTo(first.Syscalls.Keys));
            foreach (var (name, call) in first.Syscalls)
            {
                Assert.That(second.Syscalls[name].Count, Is.EqualTo(call.Count), name);
                Assert.That(second.Syscalls[name].Breakdown, Is.EqualTo(call.Breakdown), name);
                Assert.That(second.Syscalls[name].Instructions, Is.EqualTo(call.Instructions), name);
            }
        });
    }

    /// <summary>Per-call getppid figures: the difference of two runs' per-syscall breakdowns over the difference in calls.</summary>
    private PerCall Measure(KernelMode mode, bool trusted)
    {
        SyscallCycles a = Run(mode, trusted, ShortRun).Syscalls["getppid"];
        SyscallCycles b = Run(mode, trusted, LongRun).Syscalls["getppid"];
        return new PerCall(a, b, LongRun - ShortRun);
    }

    private double EmptyLoop()
    {
        double Cycles(int iterations)
        {
            string program = Write(ElfImageBuilder.Program(a =>
            {
                var loop = a.CreateLabel();
                a.mov(ebx, iterations);
                a.Label(ref loop);
                a.dec(ebx);
                a.jnz(loop);
                a.mov(eax, 231);
                a.xor(edi, edi);
                a.syscall();
            }));
            return Execute(program, KernelMode.Stock, trusted: false).UserCycles;
        }

        return (Cycles(LongRun) - Cycles(ShortRun)) / (LongRun - ShortRun);
    }

    /// <summary>Runs a loop of <paramref name="calls"/> getppid calls, each through a user function (as the C library's wrapper).</summary>
    private TimingReport Run(KernelMode mode, bool trusted, int calls)
    {
        string program = Write(ElfImageBuilder.Program(a =>
        {
            var loop = a.CreateLabel();
            var getppid = a.CreateLabel();
            a.mov(ebx, calls);
            a.Label(ref loop);
            a.call(getppid);
            a.dec(ebx);
            a.jnz(loop);
            a.mov(eax, 231); // exit_group(0)
            a.xor(edi, edi);
            a.syscall();
            a.Label(ref getppid);
            a.mov(eax, Getppid);
            a.syscall();
            a.ret();
        }));
        return Execute(program, mode, trusted);
    }

    private static TimingReport Execute(string program, KernelMode mode, bool trusted)
    {
        var machine = new Machine(new MachineOptions { KernelMode = mode, Trusted = trusted, Timing = Profile });
        machine.Start(program);
        RunResult result = machine.Run(RunLimits.Instructions(10_000_000));
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Exited), result.Message);
        return result.Timing!;
    }

    private string Write(byte[] image)
    {
        string path = Path.GetTempFileName();
        files.Add(path);
        File.WriteAllBytes(path, image);
        return path;
    }

    private sealed record PerCall(SyscallCycles Short, SyscallCycles Long, int Calls)
    {
        public double Total => (double)(Long.Cycles - Short.Cycles) / Calls;

        public double Cycles(string cause) => (double)(Long.Breakdown[cause] - Short.Breakdown[cause]) / Calls;

        public double Instructions(string cause) => (double)(Long.Instructions[cause] - Short.Instructions[cause]) / Calls;

        public override string ToString() =>
            $"{Total:F1} cycles per call; " + string.Join(", ", CycleCauses.All.Select(c => $"{c} {Cycles(c):F1} ({Instructions(c):F2} instr)"));
    }
}
