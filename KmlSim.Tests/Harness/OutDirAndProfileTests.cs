using System.Text.Json;
using Iced.Intel;
using KmlSim.Harness;
using KmlSim.Tests.Kernel.Elf;
using KmlSim.Timing.Profiles;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Harness;

/// <summary><c>--set NAME=VALUE</c>, <c>--outdir DIR</c> and <c>compare --elf</c>.</summary>
public class OutDirAndProfileTests
{
    /// <summary>System calls <see cref="TenGetpids"/> makes: ten getpid and the exit_group.</summary>
    private const int TenGetpidsSyscalls = 11;

    private string directory = "";

    [SetUp]
    public void MakeDirectory() => directory = Directory.CreateTempSubdirectory("kmlsim-outdir-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    private static (int Status, string Output, string Errors) Kmlsim(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int status = CommandLine.Execute(args, output, errors);
        return (status, output.ToString(), errors.ToString());
    }

    /// <summary>getpid ten times (a loop, so its branch mispredicts once at the end), then exit_group(0).</summary>
    private string TenGetpids()
    {
        string path = Path.Combine(directory, "ten-getpids");
        File.WriteAllBytes(path, ElfImageBuilder.Program(a =>
        {
            var loop = a.CreateLabel();
            a.mov(ebx, 10);
            a.Label(ref loop);
            a.mov(eax, 39);
            a.syscall();
            a.dec(ebx);
            a.jnz(loop);
            a.mov(eax, 231);
            a.xor(edi, edi);
            a.syscall();
        }));
        return path;
    }

    [Test]
    public void RunsOutDirHoldsTheConfigurationAndTheStatistics()
    {
        string outDir = Path.Combine(directory, "m5out");
        var (status, _, errors) = Kmlsim("run", "--set", "MispredictPenalty=20", "--set=L2Latency=15", "--outdir", outDir, TenGetpids());
        Assert.That(status, Is.Zero, errors);
        using JsonDocument config = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "config.json")));
        using JsonDocument stats = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "stats.json")));
        JsonElement root = config.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(outDir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "config.json", "stats.json" }));
            Assert.That(root.GetProperty("tool").GetString(), Is.EqualTo("kmlsim"));
            Assert.That(root.GetProperty("version").GetString() + "+" + root.GetProperty("commit").GetString(), Is.EqualTo(ToolVersion.Text).Or.EqualTo(ToolVersion.Text + "+"));
            Assert.That(root.GetProperty("command").GetString(), Is.EqualTo("run"));
            Assert.That(root.GetProperty("options").GetProperty("--set").GetString(), Is.EqualTo("MispredictPenalty=20,L2Latency=15"));
            Assert.That(root.GetProperty("options").GetProperty("--mode").GetString(), Is.EqualTo("stock"), "defaults are recorded too");
            Assert.That(root.GetProperty("profile").GetProperty("mispredictPenalty").GetInt32(), Is.EqualTo(20));
            Assert.That(root.GetProperty("profile").GetProperty("l2Latency").GetInt32(), Is.EqualTo(15));
            Assert.That(root.GetProperty("profile").GetProperty("reorderBufferSize").GetInt32(), Is.EqualTo(CpuProfiles.Opteron850.ReorderBufferSize), "the full profile");
            Assert.That(root.GetProperty("host").GetProperty("processors").GetInt32(), Is.EqualTo(Environment.ProcessorCount));
            Assert.That(stats.RootElement.GetProperty("syscalls").GetInt64(), Is.EqualTo(TenGetpidsSyscalls));
        });
    }

    [Test]
    public void SetGivesTheCyclesOfTheProfileWithThatParameterChanged()
    {
        string program = TenGetpids();
        long Cli(params string[] options)
        {
            string json = Path.Combine(directory, $"{options.Length}.json");
            Assert.That(Kmlsim(["run", .. options, "--json", json, program]).Status, Is.Zero);
            using JsonDocument report = JsonDocument.Parse(File.ReadAllText(json));
            return report.RootElement.GetProperty("cycles").GetProperty("total").GetInt64();
        }

        long Library(CpuProfile profile)
        {
            var machine = new Machine(new MachineOptions { Timing = profile });
            machine.Start(program);
            return machine.Run(RunLimits.None).Timing!.TotalCycles;
        }

        long changed = Cli("--set", "MispredictPenalty=40");
        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.EqualTo(Library(CpuProfiles.Opteron850 with { MispredictPenalty = 40 })));
            Assert.That(changed, Is.GreaterThanOrEqualTo(Cli() + 40 - CpuProfiles.Opteron850.MispredictPenalty), "the loop's last branch mispredicts at least once");
        });
    }

    [Test]
    [Category("Timing")]
    public void CompareWritesEveryReportToItsOutDirAndTakesTheUsersProgram()
    {
        string outDir = Path.Combine(directory, "out");
        string program = TenGetpids();
        var (status, output, errors) = Kmlsim("compare", "--outdir", outDir, "--elf", program);
        Assert.That(status, Is.Zero, errors);
        using JsonDocument stats = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "stats.json")));
        using JsonDocument config = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "config.json")));
        JsonElement workload = stats.RootElement.GetProperty("workloads").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(outDir).Select(Path.GetFileName), Is.SupersetOf(new[] { "config.json", "stats.json", "report.md", "runs.csv", "charts.png", "charts.svg", "charts-causes.png", "charts-causes.svg" }));
            Assert.That(config.RootElement.GetProperty("command").GetString(), Is.EqualTo("compare"));
            Assert.That(workload.GetProperty("name").GetString(), Is.EqualTo("ten-getpids"));
            Assert.That(workload.GetProperty("stock").GetProperty("syscalls").GetDouble(), Is.EqualTo(TenGetpidsSyscalls));
            Assert.That(workload.GetProperty("kml").GetProperty("translatedSyscalls").GetDouble(), Is.EqualTo(TenGetpidsSyscalls), "trusted: every call a direct call under KML");
            Assert.That(output, Does.Contain("ten-getpids"));
        });
    }
}
