using System.Text.Json;
using System.Xml.Linq;
using KmlSim.Harness;
using KmlSim.Timing.Profiles;

namespace KmlSim.Tests.Harness;

/// <summary>The comparison's derived figures and the shapes of its CSV, JSON, Markdown and SVG reports, from hand-made measurements.</summary>
public class ReportShapeTests
{
    private readonly List<string> files = [];

    [TearDown]
    public void DeleteFiles()
    {
        foreach (string file in files)
        {
            File.Delete(file);
        }
    }

    private string TempFile()
    {
        string path = Path.GetTempFileName();
        files.Add(path);
        return path;
    }

    [Test]
    public void DerivedFiguresArePerSeedThenSummarised()
    {
        WorkloadComparison c = HarnessSamples.NullSyscalls();
        Assert.Multiple(() =>
        {
            // Saved per call: (200,000 - 100,000) / 1,000 = 100 and (210,000 - 104,000) / 1,000 = 106: mean 103,
            // half-width 12.706 * 4.243 / sqrt(2) = 38.12.
            Assert.That(c.SavedCyclesPerSyscall.Mean, Is.EqualTo(103));
            Assert.That(c.SavedCyclesPerSyscall.HalfWidth, Is.EqualTo(38.12).Within(0.01));
            // Of which in the crossing (the samples put system cycles in entry/exit): 60 and 66.
            Assert.That(c.SavedCrossingCyclesPerSyscall.Mean, Is.EqualTo(63));
            // Total change: -50% and -50.476%.
            Assert.That(c.ChangePercent(m => m.TotalCycles).Mean, Is.EqualTo(-50.238).Within(0.001));
            Assert.That(c.SavedByCategory.Single(s => s.Category == "user").Saved.Mean, Is.EqualTo(40_000));
            Assert.That(c.OutputsAgree, Is.True);
        });
    }

    [Test]
    public void TheCsvHasOneRowPerWorkloadModeAndSeed()
    {
        string path = TempFile();
        ComparisonCsv.Write(path, [HarnessSamples.NullSyscalls()]);
        IReadOnlyList<IReadOnlyList<string>> records = CsvFile.Parse(File.ReadAllText(path));
        Assert.Multiple(() =>
        {
            Assert.That(records[0].Take(8), Is.EqualTo(new[] { "workload", "mode", "seed", "operations", "instructions", "cycles_total", "cycles_user", "cycles_system" }));
            Assert.That(records[0], Does.Contain("cause_entryExit").And.Contain("cause_user"));
            Assert.That(records[0], Is.Unique, "a tidy header: no name twice");
            Assert.That(records, Has.Count.EqualTo(5));
            Assert.That(records.Skip(1).Select(r => $"{r[1]}/{r[2]}"), Is.EqualTo(new[] { "stock/1", "stock/2", "kml/1", "kml/2" }));
            Assert.That(records[3][5], Is.EqualTo("100000"));
        });
    }

    [Test]
    public void TheJsonHasBothModesWithCyclesSystemCallsAndIntervals()
    {
        string path = TempFile();
        ComparisonJson.Write(path, [HarnessSamples.NullSyscalls()], CpuProfiles.Opteron850);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        JsonElement workload = root.GetProperty("workloads")[0];
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("runs").GetInt32(), Is.EqualTo(2));
            Assert.That(root.GetProperty("userSystemRule").GetString(), Does.Contain("kernel half"));
            Assert.That(workload.GetProperty("name").GetString(), Is.EqualTo("getppid"));
            Assert.That(workload.GetProperty("stock").GetProperty("cycles").GetProperty("total").GetDouble(), Is.EqualTo(205_000));
            Assert.That(workload.GetProperty("kml").GetProperty("cycles").GetProperty("user").GetDouble(), Is.EqualTo(10_000));
            Assert.That(workload.GetProperty("kml").GetProperty("syscalls").GetDouble(), Is.EqualTo(1000));
            Assert.That(workload.GetProperty("kml").GetProperty("syscallInstructions").GetDouble(), Is.Zero);
            // System 150,000 and 160,000: s = 7,071.07, half-width 12.706 * 7,071.07 / sqrt(2) = 63,531.
            Assert.That(workload.GetProperty("stock").GetProperty("ci95").GetProperty("system").GetDouble(), Is.EqualTo(63_531).Within(5));
            Assert.That(workload.GetProperty("savedCyclesPerSyscall").GetDouble(), Is.EqualTo(103));
            Assert.That(workload.GetProperty("savedCyclesPerSyscallCi95").GetDouble(), Is.GreaterThan(0));
            Assert.That(workload.GetProperty("savedCrossingCyclesPerSyscall").GetDouble(), Is.EqualTo(63));
            Assert.That(workload.GetProperty("savedCyclesByCategory").GetProperty("entryExit").GetDouble(), Is.EqualTo(63_000));
        });
    }

    [Test]
    public void OneRunHasNoIntervalsAndSaysSo()
    {
        string path = TempFile();
        ComparisonJson.Write(path, [HarnessSamples.NullSyscalls(seeds: 1)], CpuProfiles.Opteron850);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement workload = document.RootElement.GetProperty("workloads")[0];
        Assert.Multiple(() =>
        {
            Assert.That(document.RootElement.GetProperty("statistics").GetString(), Does.StartWith("exact (deterministic)"));
            Assert.That(workload.GetProperty("stock").TryGetProperty("ci95", out _), Is.False);
            Assert.That(workload.TryGetProperty("savedCyclesPerSyscallCi95", out _), Is.False);
        });
    }

    [Test]
    public void TheChartsArePngsOfTheirSizeAndWellFormedSvgsNamingTheWorkloadsAndCauses()
    {
        string stem = TempFile();
        IReadOnlyList<string> written = ComparisonCharts.Write(stem, [HarnessSamples.NullSyscalls(seeds: 1), HarnessSamples.NullSyscalls(seeds: 1) with { Workload = WorkloadCatalog.Find("devnull-rw", 1000) }]);
        files.AddRange(written);
        using SkiaSharp.SKBitmap png = SkiaSharp.SKBitmap.Decode(stem + ".png");
        using SkiaSharp.SKBitmap causes = SkiaSharp.SKBitmap.Decode(stem + "-causes.png");
        XDocument svg = XDocument.Load(stem + ".svg");
        XDocument causesSvg = XDocument.Load(stem + "-causes.svg");
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Multiple(() =>
        {
            Assert.That(written.Select(Path.GetFileName), Is.EquivalentTo(new[] { ".png", ".svg", "-causes.png", "-causes.svg" }.Select(suffix => Path.GetFileName(stem) + suffix)));
            Assert.That((png.Width, png.Height), Is.EqualTo((ComparisonCharts.Width, ComparisonCharts.Height)));
            Assert.That((causes.Width, causes.Height), Is.EqualTo((ComparisonCharts.Width, ComparisonCharts.Height)));
            Assert.That(svg.Root!.Name, Is.EqualTo(ns + "svg"));
            string text = string.Concat(svg.Descendants(ns + "text").Select(t => t.Value));
            Assert.That(text, Does.Contain("getppid").And.Contain("devnull-rw").And.Contain("-50.0%"), "workloads, and each change in percent");
            Assert.That(text, Does.Contain("200→100"), "with the absolute cycles per operation");
            string causeText = string.Concat(causesSvg.Descendants(ns + "text").Select(t => t.Value));
            Assert.That(causeText, Does.Contain("entryExit").And.Not.Contain("idle"), "only the causes that are non-zero");
        });
    }

    [Test]
    public void TheMarkdownTablesHaveAStockAndKmlRowAndAChangeRowPerWorkload()
    {
        string[] perMode = ComparisonTable.PerMode([HarnessSamples.NullSyscalls(seeds: 1)]).RenderMarkdown().TrimEnd().Split('\n');
        string[] change = ComparisonTable.Change([HarnessSamples.NullSyscalls(seeds: 1)]).RenderMarkdown().TrimEnd().Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(perMode, Has.Length.EqualTo(4));
            Assert.That(perMode[0], Does.StartWith("| workload | mode | cycles total | user | system |"));
            Assert.That(perMode[2], Is.EqualTo("| getppid | stock | 200,000 | 50,000 | 150,000 | 200.0 | 1,000 | 1,000 / 0 | 1 |"));
            Assert.That(change, Has.Length.EqualTo(3));
            Assert.That(change[2], Does.StartWith("| getppid | -50.0% | -80.0% | -40.0% |").And.EndWith("| 100.0 | 60.0 |"), "saved per call, of which entry/exit");
        });
    }

    [Test]
    public void TheTerminalTableFitsTheWidthItIsGiven()
    {
        string[] narrow = ComparisonTable.ForWorkload(HarnessSamples.NullSyscalls(seeds: 1)).RenderAligned(80).TrimEnd().Split('\n');
        string[] wide = ComparisonTable.PerMode([HarnessSamples.NullSyscalls(seeds: 1)]).RenderAligned(TextTable.Unlimited).TrimEnd().Split('\n');
        string[] wrapped = ComparisonTable.PerMode([HarnessSamples.NullSyscalls(seeds: 1)]).RenderAligned(60).TrimEnd().Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(narrow.Max(line => line.Length), Is.LessThanOrEqualTo(64), "a workload's table is narrow");
            Assert.That(narrow.Select(line => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries))), Does.Contain("cycles total 200,000 100,000 -50.0%"));
            Assert.That(wide.Max(line => line.Length), Is.GreaterThan(80), "a file gets a wide table unwrapped");
            Assert.That(wrapped.Max(line => line.Length), Is.LessThanOrEqualTo(60), "and a terminal gets it wrapped to its width");
        });
    }
}
