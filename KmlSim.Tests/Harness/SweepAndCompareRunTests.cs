using System.Text.Json;
using System.Xml.Linq;
using KmlSim.Harness;

namespace KmlSim.Tests.Harness;

/// <summary>
/// The harness end to end on the null system call with few iterations (a second or two each): compare's
/// reports, and a sweep split in shards and merged back equal to the whole sweep.
/// </summary>
[Category("Timing")]
public class SweepAndCompareRunTests
{
    private string directory = "";

    [SetUp]
    public void MakeDirectory() => directory = Directory.CreateTempSubdirectory("kmlsim-harness-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    private static (int Status, string Output, string Errors) Kmlsim(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int status = CommandLine.Execute(args, output, errors);
        return (status, output.ToString(), errors.ToString());
    }

    [Test]
    public void CompareOfTheNullSystemCallSavesCyclesUnderKml()
    {
        string json = Path.Combine(directory, "c.json"), csv = Path.Combine(directory, "c.csv"), svg = Path.Combine(directory, "c.svg"), markdown = Path.Combine(directory, "c.md");
        var (status, output, errors) = Kmlsim("compare", "--workloads", "getppid", "--iterations", "200", "--json", json, "--csv", csv, "--svg", svg, "--markdown", markdown);
        Assert.That(status, Is.Zero, errors);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement workload = document.RootElement.GetProperty("workloads")[0];
        JsonElement stock = workload.GetProperty("stock"), kml = workload.GetProperty("kml");
        Assert.Multiple(() =>
        {
            // The getppid loop makes exactly the 200 measured calls (start-up's calls cancel in the difference).
            Assert.That(stock.GetProperty("syscalls").GetDouble(), Is.EqualTo(200));
            Assert.That(kml.GetProperty("syscalls").GetDouble(), Is.EqualTo(200));
            Assert.That(stock.GetProperty("syscallInstructions").GetDouble(), Is.EqualTo(200), "Stock enters through SYSCALL");
            Assert.That(kml.GetProperty("syscallInstructions").GetDouble(), Is.LessThan(stock.GetProperty("syscallInstructions").GetDouble()), "Kml does not");
            Assert.That(kml.GetProperty("translatedSyscalls").GetDouble(), Is.EqualTo(200));
            Assert.That(workload.GetProperty("savedCyclesPerSyscall").GetDouble(), Is.GreaterThan(0));
            // The crossing's part: at least the SYSCALL and SYSRET KML no longer executes (27 + 35, AMD 25112
            // Table 13, reference §4), and no more than the whole saving.
            Assert.That(
                workload.GetProperty("savedCrossingCyclesPerSyscall").GetDouble(),
                Is.GreaterThanOrEqualTo(27 + 35).And.LessThanOrEqualTo(workload.GetProperty("savedCyclesPerSyscall").GetDouble()));
            Assert.That(workload.GetProperty("outputsAgree").GetBoolean(), Is.True);
            Assert.That(output, Does.Contain("getppid").And.Contain("change").And.Contain("exact (deterministic)").And.Contain("kernel half"));
            Assert.That(errors, Does.Contain("getppid: building the guest").And.Contain("getppid, kml, baseline, seed 1 done").And.Contain("MIPS"), "progress on stderr, each run once");
            Assert.That(CsvFile.Parse(File.ReadAllText(csv)), Has.Count.EqualTo(3));
            Assert.That(() => XDocument.Load(svg), Throws.Nothing);
            Assert.That(File.ReadAllText(markdown), Does.Contain("| getppid | stock |"));
        });
    }

    [Test]
    public void AShardedSweepMergesIntoTheWholeSweep()
    {
        string[] sweep = ["sweep", "--param", "MispredictPenalty", "--values", "5,10,20", "--iterations", "20"];
        string whole = Path.Combine(directory, "whole.csv"), first = Path.Combine(directory, "1.csv"), second = Path.Combine(directory, "2.csv"), merged = Path.Combine(directory, "merged.csv");
        Assert.Multiple(() =>
        {
            Assert.That(Kmlsim([.. sweep, "--csv", whole]).Status, Is.Zero);
            Assert.That(Kmlsim([.. sweep, "--shard", "2/2", "--csv", second]).Status, Is.Zero);
            Assert.That(Kmlsim([.. sweep, "--shard", "1/2", "--csv", first]).Status, Is.Zero);
            Assert.That(Kmlsim("merge", second, first, "--csv", merged).Status, Is.Zero);
        });
        IReadOnlyList<IReadOnlyList<string>> rows = CsvFile.Parse(File.ReadAllText(whole));
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(merged), Is.EqualTo(File.ReadAllText(whole)), "the simulation is deterministic, so shards reproduce the whole");
            Assert.That(rows, Has.Count.EqualTo(1 + (3 * 2)), "a header, then Stock and Kml at each of 3 points");
            Assert.That(rows.Skip(1).Select(r => $"{r[0]}:{r[2]}:{r[4]}"), Is.EqualTo(new[] { "0:5:stock", "0:5:kml", "1:10:stock", "1:10:kml", "2:20:stock", "2:20:kml" }));
            Assert.That(CsvFile.Parse(File.ReadAllText(first)), Has.Count.EqualTo(1 + 4));
            Assert.That(Kmlsim("merge", first, first, "--csv", merged).Status, Is.EqualTo(CommandLine.UsageError), "overlapping shards are refused");
        });
    }
}
