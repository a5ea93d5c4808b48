using System.Text.Json;
using KmlSim.Harness;
using KmlSim.Timing.Profiles;

namespace KmlSim.Tests.Harness;

/// <summary><c>kmlsim wisconsin</c>: its arguments, the scaling to 10,000 loops, and its JSON contract.</summary>
public class WisconsinCommandTests
{
    private string directory = "";

    [SetUp]
    public void MakeDirectory() => directory = Directory.CreateTempSubdirectory("kmlsim-wisconsin-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public void ArgumentsBecomeWiscsCommandLine()
    {
        WisconsinArguments Parse(params string[] args) => WisconsinCommand.Read(CommandLine.Parse(["wisconsin", .. args]));
        WisconsinArguments parsed = Parse("--loops", "3", "--cache", "8", "--queries", "1,10,11", "--variant", "single");
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Options.Arguments(), Is.EqualTo(new[] { "--db", "/data/wisconsin.db", "--loops", "3", "--variant", "single", "--cache", "8", "--queries", "1,10,11" }));
            Assert.That(Parse("--cache", "default").Options.CachePages, Is.Null);
            Assert.That(Parse().Options, Is.EqualTo(new WisconsinOptions(1, 2, null, "client-server")));
        });
    }

    [TestCase("--queries 0", "--queries takes numbers 1-10")]
    [TestCase("--queries 12", "--queries takes numbers 1-10")]
    [TestCase("--queries 2,2", "names a query twice")]
    [TestCase("--variant mysql", "--variant 'mysql' is not one of client-server, single, memory")]
    [TestCase("--loops 0", "--loops needs a whole number from 1 to 10000")]
    [TestCase("--cache big", "--cache needs a whole number")]
    public void BadArgumentsAreUsageErrors(string arguments, string message)
    {
        var errors = new StringWriter();
        int status = CommandLine.Execute(["wisconsin", .. arguments.Split(' ')], new StringWriter(), errors);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(CommandLine.UsageError));
            Assert.That(errors.ToString(), Does.Contain(message));
        });
    }

    [Test]
    public void ScalingCountsStartUpOnceWhenThereAreSeveralLoops()
    {
        // 1 loop: 1,000 cycles (600 start-up + 400 a loop); 3 loops: 1,800. Scaled: 1,000 + 800 x 9,999 / 2 = 4,000,600 cycles.
        WorkloadComparison Run(long cycles) => new(WorkloadCatalog.Find("getppid", 10), [1], [HarnessSamples.Measurement(cycles, 0, 1, 1)], [HarnessSamples.Measurement(cycles / 2, 0, 1, 0)]);
        var several = new WisconsinResult(new WisconsinOptions(3, 2, null, "client-server"), Run(1_800), Run(1_000), ClockHz: 1_000);
        var one = new WisconsinResult(new WisconsinOptions(1, 2, null, "client-server"), Run(1_000), null, ClockHz: 1_000);
        Assert.Multiple(() =>
        {
            Assert.That(several.ScaledSeconds(KernelMode.Stock, m => m.TotalCycles).Mean, Is.EqualTo(4_000.6).Within(1e-9));
            Assert.That(several.ScalingMethod, Does.Contain("counted once"));
            Assert.That(one.ScaledSeconds(KernelMode.Stock, m => m.TotalCycles).Mean, Is.EqualTo(10_000).Within(1e-9));
            Assert.That(one.ScalingMethod, Does.Contain("overstatement"));
            Assert.That(one.ScaledChangePercent(m => m.TotalCycles).Mean, Is.EqualTo(-50));
        });
    }

    [Test]
    public void TheJsonHasTheContractAndTheArticlesFigures()
    {
        string path = Path.Combine(directory, "w.json");
        var result = new WisconsinResult(new WisconsinOptions(1, 2, null, "client-server"), HarnessSamples.NullSyscalls(seeds: 1), null, CpuProfiles.Opteron850.ClockHz);
        WisconsinReport.WriteJson(path, result, CpuProfiles.Opteron850);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        Assert.Multiple(() =>
        {
            foreach (string mode in new[] { "stock", "kml" })
            {
                JsonElement cycles = root.GetProperty(mode).GetProperty("cycles");
                Assert.That(cycles.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "total", "user", "system" }));
                Assert.That(root.GetProperty(mode).GetProperty("syscalls").GetDouble(), Is.EqualTo(1000));
                Assert.That(root.GetProperty(mode).TryGetProperty("interrupts", out _), Is.True);
            }

            Assert.That(root.GetProperty("stock").GetProperty("cycles").GetProperty("total").GetDouble(), Is.EqualTo(200_000));
            Assert.That(root.GetProperty("seconds").GetProperty("stock").GetProperty("total").GetDouble(), Is.EqualTo(200_000 / 2.4e9).Within(1e-15));
            Assert.That(root.GetProperty("scaled").GetProperty("loops").GetInt32(), Is.EqualTo(10_000));
            Assert.That(root.GetProperty("scaled").GetProperty("kml").GetProperty("user").GetDouble(), Is.EqualTo(10_000 * 10_000 / 2.4e9).Within(1e-12));
            Assert.That(root.GetProperty("userSystemRule").GetString(), Does.Contain("kernel half"));
            Assert.That(root.GetProperty("savedCyclesByCategory").GetProperty("entryExit").GetDouble(), Is.EqualTo(60_000));
        });
    }

    [Test]
    public void TheTextSaysWhatTheCrossingItselfSaves()
    {
        // The samples put system cycles in entry/exit: 150,000 - 90,000 saved over 1,000 calls, of 100,000 in all.
        var result = new WisconsinResult(new WisconsinOptions(1, 2, null, "client-server"), HarnessSamples.NullSyscalls(seeds: 1), null, CpuProfiles.Opteron850.ClockHz);
        string line = WisconsinReport.Text(result, CpuProfiles.Opteron850, TextTable.Unlimited).Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("of which entry/exit", StringComparison.Ordinal));
        Assert.That(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^3..], Is.EqualTo(new[] { "60,000", "60.0%", "60.0" }));
    }

    [Test]
    [Category("Timing")]
    public void APointSelectUnderBothKernelsSavesTheTrapInstructions()
    {
        string path = Path.Combine(directory, "w.json");
        var output = new StringWriter();
        var errors = new StringWriter();
        int status = CommandLine.Execute(["wisconsin", "--queries", "3", "--json", path], output, errors);
        Assert.That(status, Is.Zero, errors.ToString());
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        JsonElement saved = root.GetProperty("savedCyclesByCategory");
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("outputsAgree").GetBoolean(), Is.True, "both kernels fetch the same rows");
            Assert.That(root.GetProperty("kml").GetProperty("syscalls").GetDouble(), Is.EqualTo(root.GetProperty("stock").GetProperty("syscalls").GetDouble()));
            Assert.That(root.GetProperty("kml").GetProperty("syscallInstructions").GetDouble(), Is.Zero, "client and server are both trusted");
            Assert.That(saved.GetProperty("syscallInstruction").GetDouble(), Is.GreaterThan(0));
            Assert.That(saved.GetProperty("sysret").GetDouble(), Is.GreaterThan(0));
            Assert.That(saved.GetProperty("swapgs").GetDouble(), Is.GreaterThan(0));
            Assert.That(output.ToString(), Does.Contain("at 10,000 loops").And.Contain("user/system rule"));
        });
    }
}
