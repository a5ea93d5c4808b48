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
/// commit e761b9a, before the speed work, and a change to any of them means the refactor changed behaviour.
/// A deliberate model change (a corrected cost, a new mechanism) updates them in the same commit, saying why.
/// Only the keys listed are compared, so that new counters or regions do not disturb the guard.
/// </summary>
[Category("Timing")]
public sealed class TimingRegressionTests
{
    // The reports at commit e761b9a (the Opteron 850 profile), as "key=value" pairs.
    private const string ComputeGuest = "counter.branchMispredicts=48439 counter.branches=537169 counter.dtlbL1Misses=28 "
        + "counter.events=1 counter.instructions=3000001 counter.ipcX1000=1224 counter.itlbL1Misses=34 "
        + "counter.l1dMisses=819 counter.l1iMisses=227 counter.l2Misses=876 counter.macroOps=3201076 "
        + "counter.pageWalks=62 counter.returnMispredicts=0 counter.serialisations=89 "
        + "counter.storeForwards=354413 idle=0 region.Interrupt=70 region.Kernel=1218 region.Scheduler=0 "
        + "region.SyscallBody=579 region.SyscallEntryExit=4105 region.User=2443252 region.syscall10=44 "
        + "region.syscall12=208 region.syscall158=40 region.syscall218=40 region.syscall273=40 "
        + "region.syscall302=42 region.syscall318=41 region.syscall334=40 region.syscall89=44 "
        + "region.syscall99=40 system=5972 total=2449224 user=2443252";

    private const string GetppidStock = "counter.branchMispredicts=6 counter.branches=16004 counter.dtlbL1Misses=4 counter.events=0 "
        + "counter.instructions=98028 counter.ipcX1000=261 counter.itlbL1Misses=2 counter.l1dMisses=16 "
        + "counter.l1iMisses=4 counter.l2Misses=20 counter.macroOps=126035 counter.pageWalks=6 "
        + "counter.returnMispredicts=0 counter.serialisations=8002 counter.storeForwards=20000 idle=0 "
        + "region.Interrupt=0 region.Kernel=1218 region.Scheduler=0 region.SyscallBody=80044 "
        + "region.SyscallEntryExit=218571 region.User=75047 region.syscall110=80004 region.syscall60=40 "
        + "system=299833 total=374880 user=75047";

    private const string GetppidKml = "counter.branchMispredicts=13 counter.branches=24006 counter.dtlbL1Misses=5 counter.events=0 "
        + "counter.instructions=116033 counter.ipcX1000=663 counter.itlbL1Misses=2 counter.l1dMisses=21 "
        + "counter.l1iMisses=4 counter.l2Misses=25 counter.macroOps=140039 counter.pageWalks=7 "
        + "counter.returnMispredicts=0 counter.serialisations=0 counter.storeForwards=24001 idle=0 "
        + "region.Interrupt=0 region.Kernel=1422 region.Scheduler=0 region.SyscallBody=80044 "
        + "region.SyscallEntryExit=88465 region.User=4975 region.syscall110=80004 region.syscall60=40 "
        + "system=169931 total=174906 user=4975";

    private const string ForkPipeStock = "counter.branchMispredicts=1092 counter.branches=284991 counter.dtlbL1Misses=99 "
        + "counter.events=0 counter.instructions=2964833 counter.ipcX1000=1324 counter.itlbL1Misses=82 "
        + "counter.l1dMisses=1002 counter.l1iMisses=282 counter.l2Misses=654 counter.macroOps=3496286 "
        + "counter.pageWalks=181 counter.returnMispredicts=10 counter.serialisations=1435 "
        + "counter.storeForwards=3888 idle=0 region.Interrupt=0 region.Kernel=1218 region.Scheduler=0 "
        + "region.SyscallBody=47979 region.SyscallEntryExit=42779 region.User=2146318 "
        + "region.syscall0=27640 region.syscall1=19436 region.syscall10=40 region.syscall12=204 "
        + "region.syscall158=40 region.syscall218=40 region.syscall231=80 region.syscall262=50 "
        + "region.syscall273=80 region.syscall293=41 region.syscall3=80 region.syscall302=42 "
        + "region.syscall318=41 region.syscall334=40 region.syscall56=40 region.syscall61=41 "
        + "region.syscall89=44 system=91976 total=2238294 user=2146318";

    private const string ForkPipeKml = "counter.branchMispredicts=1137 counter.branches=286399 counter.dtlbL1Misses=99 "
        + "counter.events=0 counter.instructions=2968005 counter.ipcX1000=1349 counter.itlbL1Misses=82 "
        + "counter.l1dMisses=1002 counter.l1iMisses=282 counter.l2Misses=653 counter.macroOps=3498755 "
        + "counter.pageWalks=181 counter.returnMispredicts=18 counter.serialisations=29 "
        + "counter.storeForwards=4591 idle=0 region.Interrupt=0 region.Kernel=1422 region.Scheduler=0 "
        + "region.SyscallBody=47979 region.SyscallEntryExit=21886 region.User=2128321 "
        + "region.syscall0=27640 region.syscall1=19436 region.syscall10=40 region.syscall12=204 "
        + "region.syscall158=40 region.syscall218=40 region.syscall231=80 region.syscall262=50 "
        + "region.syscall273=80 region.syscall293=41 region.syscall3=80 region.syscall302=42 "
        + "region.syscall318=41 region.syscall334=40 region.syscall56=40 region.syscall61=41 "
        + "region.syscall89=44 system=71287 total=2199608 user=2128321";

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
