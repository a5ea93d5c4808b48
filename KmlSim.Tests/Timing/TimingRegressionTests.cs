using KmlSim.Guests;
using KmlSim.Observation;
using KmlSim.Tests.Kernel.Elf;
using KmlSim.Tests.Kernel.Guests;
using KmlSim.Timing.Profiles;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Timing;

/// <summary>
/// Guards refactors of the timing model's speed (precomputed costs, flat caches, the observer path): the
/// model's results must not move. The expected reports are NOT validations of the K8 model (the timing
/// tests beside this one compare against the reference); they are the exact reports the model gave at
/// commit e95b9b0, before the speed work, and a change to any of them means the refactor changed behaviour.
/// A deliberate model change (a corrected cost, a new mechanism) updates them in the same commit, saying why.
/// Only the keys listed are compared, so that new counters or regions do not disturb the guard.
/// </summary>
[Category("Timing")]
public sealed class TimingRegressionTests
{
    // The reports at commit e95b9b0 (main, the Opteron 850 profile), as "key=value" pairs; the fork+pipe ones
    // re-taken when copy-on-write fork landed (12 write faults through the #PF entry and IRETQ per run); all
    // re-taken when loads forwarded from the youngest store, RMW store data waited for its load + op, and the
    // stack pointer of PUSH/POP/CALL/RET stopped waiting for the memory access; the compute and fork+pipe ones
    // re-taken when a host program's guest path stopped being its host path (/opt/kmlsim/bin/NAME, or
    // /trusted/bin/NAME: the initial stack, and so the run, no longer moves with where the guest cache is), and
    // again when exec mapped the vDSO (static glibc sets it up at start-up; RDTSC counts halted ticks too).
    private const string ComputeGuest = "breakdown.entryExit=3017 breakdown.idle=0 breakdown.interrupt=84 breakdown.iretq=73 "
        + "breakdown.kernelOther=0 breakdown.swapgs=1367 breakdown.syscallBody=1449 "
        + "breakdown.syscallInstruction=378 breakdown.sysret=588 breakdown.user=2517132 "
        + "counter.branchMispredicts=48596 counter.branches=537046 counter.dtlbL1Misses=30 counter.events=1 "
        + "counter.instructions=3000001 counter.ipcX1000=1188 counter.itlbL1Misses=42 counter.l1dMisses=890 "
        + "counter.l1iMisses=299 counter.l2Misses=986 counter.macroOps=3201078 counter.memoryStallCycles=102666 "
        + "counter.pageWalks=72 counter.refillCycles=486583 counter.returnMispredicts=0 "
        + "counter.serialisations=89 counter.storeForwards=354051 idle=0 instructions.entryExit=610 "
        + "instructions.idle=0 instructions.interrupt=3 instructions.iretq=1 instructions.kernelOther=0 "
        + "instructions.swapgs=30 instructions.syscallBody=28 instructions.syscallInstruction=14 "
        + "instructions.sysret=14 instructions.user=2999301 region.Interrupt=84 region.Kernel=0 "
        + "region.Scheduler=0 region.SyscallBody=1449 region.SyscallEntryExit=5045 region.User=2517510 "
        + "system=6578 total=2524088 user=2517510";

    private const string GetppidStock = "breakdown.entryExit=70608 breakdown.idle=0 breakdown.interrupt=0 breakdown.iretq=0 "
        + "breakdown.kernelOther=0 breakdown.swapgs=54986 breakdown.syscallBody=36238 "
        + "breakdown.syscallInstruction=54027 breakdown.sysret=84000 breakdown.user=21020 "
        + "counter.branchMispredicts=6 counter.branches=16004 counter.dtlbL1Misses=4 counter.events=0 "
        + "counter.instructions=98028 counter.ipcX1000=305 counter.itlbL1Misses=2 counter.l1dMisses=16 "
        + "counter.l1iMisses=4 counter.l2Misses=20 counter.macroOps=126035 counter.memoryStallCycles=2926 "
        + "counter.pageWalks=6 counter.refillCycles=56074 counter.returnMispredicts=0 "
        + "counter.serialisations=8002 counter.storeForwards=20000 idle=0 instructions.entryExit=80022 "
        + "instructions.idle=0 instructions.interrupt=0 instructions.iretq=0 instructions.kernelOther=0 "
        + "instructions.swapgs=4001 instructions.syscallBody=4001 instructions.syscallInstruction=2001 "
        + "instructions.sysret=2000 instructions.user=6003 region.Interrupt=0 region.Kernel=0 "
        + "region.Scheduler=0 region.SyscallBody=36238 region.SyscallEntryExit=209594 region.User=75047 "
        + "system=245832 total=320879 user=75047";

    private const string GetppidKml = "breakdown.entryExit=75892 breakdown.idle=0 breakdown.interrupt=0 breakdown.iretq=0 "
        + "breakdown.kernelOther=0 breakdown.swapgs=0 breakdown.syscallBody=36045 "
        + "breakdown.syscallInstruction=0 breakdown.sysret=0 breakdown.user=4978 "
        + "counter.branchMispredicts=13 counter.branches=24006 counter.dtlbL1Misses=5 counter.events=0 "
        + "counter.instructions=116033 counter.ipcX1000=992 counter.itlbL1Misses=2 counter.l1dMisses=21 "
        + "counter.l1iMisses=4 counter.l2Misses=25 counter.macroOps=140039 counter.memoryStallCycles=2926 "
        + "counter.pageWalks=7 counter.refillCycles=130 counter.returnMispredicts=0 "
        + "counter.serialisations=0 counter.storeForwards=24001 idle=0 instructions.entryExit=104028 "
        + "instructions.idle=0 instructions.interrupt=0 instructions.iretq=0 instructions.kernelOther=0 "
        + "instructions.swapgs=0 instructions.syscallBody=4001 instructions.syscallInstruction=0 "
        + "instructions.sysret=0 instructions.user=8004 region.Interrupt=0 region.Kernel=0 "
        + "region.Scheduler=0 region.SyscallBody=36045 region.SyscallEntryExit=75892 region.User=4978 "
        + "system=111937 total=116915 user=4978";

    private const string ForkPipeStock = "breakdown.entryExit=18745 breakdown.idle=0 breakdown.interrupt=44077 breakdown.iretq=949 "
        + "breakdown.kernelOther=0 breakdown.swapgs=10723 breakdown.syscallBody=138800 "
        + "breakdown.syscallInstruction=9504 breakdown.sysret=14742 breakdown.user=2420984 "
        + "counter.branchMispredicts=1354 counter.branches=286079 counter.dtlbL1Misses=114 counter.events=13 "
        + "counter.instructions=2971393 counter.ipcX1000=1117 counter.itlbL1Misses=94 counter.l1dMisses=1437 "
        + "counter.l1iMisses=353 counter.l2Misses=885 counter.macroOps=3503460 counter.memoryStallCycles=153076 "
        + "counter.pageWalks=205 counter.refillCycles=24049 counter.returnMispredicts=10 "
        + "counter.serialisations=1487 counter.storeForwards=4350 idle=0 instructions.entryExit=14700 "
        + "instructions.idle=0 instructions.interrupt=39 instructions.iretq=13 instructions.kernelOther=0 "
        + "instructions.swapgs=729 instructions.syscallBody=703 instructions.syscallInstruction=352 "
        + "instructions.sysret=351 instructions.user=2954506 region.Interrupt=44077 region.Kernel=0 "
        + "region.Scheduler=0 region.SyscallBody=138800 region.SyscallEntryExit=45159 region.User=2430488 "
        + "system=228036 total=2658524 user=2430488";

    private const string ForkPipeKml = "breakdown.entryExit=22539 breakdown.idle=0 breakdown.interrupt=44238 breakdown.iretq=949 "
        + "breakdown.kernelOther=0 breakdown.swapgs=0 breakdown.syscallBody=138168 "
        + "breakdown.syscallInstruction=0 breakdown.sysret=0 breakdown.user=2412488 "
        + "counter.branchMispredicts=1407 counter.branches=287539 counter.dtlbL1Misses=116 counter.events=13 "
        + "counter.instructions=2974747 counter.ipcX1000=1136 counter.itlbL1Misses=94 counter.l1dMisses=1443 "
        + "counter.l1iMisses=354 counter.l2Misses=890 counter.macroOps=3506085 counter.memoryStallCycles=152707 "
        + "counter.pageWalks=207 counter.refillCycles=14635 counter.returnMispredicts=18 "
        + "counter.serialisations=55 counter.storeForwards=4910 idle=0 instructions.entryExit=19126 "
        + "instructions.idle=0 instructions.interrupt=39 instructions.iretq=13 instructions.kernelOther=0 "
        + "instructions.swapgs=0 instructions.syscallBody=703 instructions.syscallInstruction=0 "
        + "instructions.sysret=0 instructions.user=2954866 region.Interrupt=44238 region.Kernel=0 "
        + "region.Scheduler=0 region.SyscallBody=138168 region.SyscallEntryExit=23488 region.User=2412488 "
        + "system=205894 total=2618382 user=2412488";

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
    public void ComputeGuestReportIsUnchanged()
    {
        string guest = GuestCompiler.Build(Path.Combine(TestContext.CurrentContext.TestDirectory, "Guests", "compute.c"));
        RunResult result = Run(guest, KernelMode.Stock, trusted: false, RunLimits.Instructions(3_000_000), RunOutcome.Limit);
        AssertReport(result, ComputeGuest);
    }

    [TestCase(KernelMode.Stock, false, GetppidStock)]
    [TestCase(KernelMode.Kml, true, GetppidKml)]
    public void GetppidLoopReportIsUnchanged(KernelMode mode, bool trusted, string expected)
    {
        string program = Write(ElfImageBuilder.Program(a =>
        {
            var loop = a.CreateLabel();
            a.mov(ebx, 2000);
            a.Label(ref loop);
            a.mov(eax, 110); // getppid
            a.syscall();
            a.dec(ebx);
            a.jnz(loop);
            a.mov(eax, 60); // exit(0)
            a.xor(edi, edi);
            a.syscall();
        }));
        AssertReport(Run(program, mode, trusted, RunLimits.Instructions(10_000_000), RunOutcome.Exited), expected);
    }

    [TestCase(KernelMode.Stock, false, ForkPipeStock)]
    [TestCase(KernelMode.Kml, true, ForkPipeKml)]
    public void ForkPipeGuestReportIsUnchanged(KernelMode mode, bool trusted, string expected)
    {
        string guest = GuestRuns.Build("pipestream", GuestToolchain.Glibc);
        AssertReport(Run(guest, mode, trusted, RunLimits.Instructions(GuestRuns.InstructionBudget), RunOutcome.Exited), expected);
    }

    private static RunResult Run(string program, KernelMode mode, bool trusted, RunLimits limits, RunOutcome outcome)
    {
        var machine = new Machine(new MachineOptions { KernelMode = mode, Trusted = trusted, Timing = CpuProfiles.Opteron850 });
        machine.Start(program);
        RunResult result = machine.Run(limits);
        Assert.That(result.Outcome, Is.EqualTo(outcome), result.Message);
        return result;
    }

    /// <summary>Compares the keys of <paramref name="expected"/> ("key=value" separated by spaces) with the report.</summary>
    private static void AssertReport(RunResult result, string expected)
    {
        Dictionary<string, long> actual = Flatten(result.Timing!);
        TestContext.Out.WriteLine(string.Join(' ', actual.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
        Assert.Multiple(() =>
        {
            foreach (string pair in expected.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = pair.Split('=');
                Assert.That(actual.GetValueOrDefault(parts[0], -1), Is.EqualTo(long.Parse(parts[1])), parts[0]);
            }
        });
    }

    private static Dictionary<string, long> Flatten(TimingReport report)
    {
        var all = new Dictionary<string, long>
        {
            ["total"] = report.TotalCycles,
            ["user"] = report.UserCycles,
            ["system"] = report.SystemCycles,
            ["idle"] = report.IdleCycles,
        };
        foreach (var (key, value) in report.Counters)
        {
            all["counter." + key] = value;
        }

        foreach (var (key, value) in report.RegionCycles)
        {
            all["region." + key] = value;
        }

        foreach (var (key, value) in report.Breakdown)
        {
            all["breakdown." + key] = value;
        }

        foreach (var (key, value) in report.InstructionBreakdown)
        {
            all["instructions." + key] = value;
        }

        return all;
    }

    private string Write(byte[] image)
    {
        string path = Path.GetTempFileName();
        files.Add(path);
        File.WriteAllBytes(path, image);
        return path;
    }
}
