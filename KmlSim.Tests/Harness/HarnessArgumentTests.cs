using KmlSim.Harness;

namespace KmlSim.Tests.Harness;

/// <summary>Usage errors of compare, sweep and merge: exit status 2, a message naming the problem, no simulation run.</summary>
public class HarnessArgumentTests
{
    private static (int Status, string Errors) Kmlsim(string commandLine)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int status = CommandLine.Execute(commandLine.Split(' '), output, errors);
        return (status, errors.ToString());
    }

    [TestCase("compare --workloads nosuch", "unknown workload 'nosuch'")]
    [TestCase("compare --workloads getppid,,devnull-rw", "without empty items")]
    [TestCase("compare --workloads getppid,getppid", "names a workload twice")]
    [TestCase("compare --repeat 0", "--repeat needs a whole number from 1")]
    [TestCase("compare --repeat 1001", "--repeat needs a whole number from 1 to 1000")]
    [TestCase("compare --iterations ten", "--iterations needs a whole number")]
    [TestCase("compare --seed -3", "--seed needs a whole number from 0")]
    [TestCase("compare --json", "Required argument missing for option: '--json'")]
    [TestCase("compare --csv a --csv b", "Option '--csv' expects a single argument but 2 were provided")]
    [TestCase("compare --frobnicate 1", "unknown option '--frobnicate'")]
    [TestCase("sweep --values 1,2 --csv out.csv", "Option '--param' is required")]
    [TestCase("sweep --param MispredictPenalty --csv out.csv", "Option '--values' is required")]
    [TestCase("sweep --param MispredictPenalty --values 1,2", "Option '--csv' is required")]
    [TestCase("sweep --param Nonsense --values 1 --csv out.csv", "'Nonsense' is not a profile parameter: use one of")]
    [TestCase("sweep --param MispredictPenalti --values 1 --csv out.csv", "'MispredictPenalti' is not a profile parameter: did you mean MispredictPenalty?")]
    [TestCase("compare --set L2Latncy=3", "--set L2Latncy=3: 'L2Latncy' is not a profile parameter: did you mean L2Latency or L3Latency?")]
    [TestCase("compare --set L2Latency", "--set L2Latency: needs NAME=VALUE")]
    [TestCase("compare --elf /nonexistent/prog", "--elf /nonexistent/prog: no such file")]
    [TestCase("compare getppid", "program arguments need --elf PATH")]
    [TestCase("sweep --param MispredictPenalty --values 10,ten --csv out.csv", "MispredictPenalty takes non-negative Int32 values, not 'ten'")]
    [TestCase("sweep --param MispredictPenalty --values -1 --csv out.csv", "not '-1'")]
    [TestCase("sweep --param DramLatencyNanoseconds --values 80,NaN --csv out.csv", "not 'NaN'")]
    [TestCase("sweep --param MispredictPenalty --values 10,10 --csv out.csv", "lists a value twice")]
    [TestCase("sweep --param mode --values stock,vms --csv out.csv", "'vms' is not a kernel mode")]
    [TestCase("sweep --param mode --values stock --shard 0/2 --csv out.csv", "--shard needs I/N")]
    [TestCase("sweep --param mode --values stock --shard 3/2 --csv out.csv", "--shard needs I/N")]
    [TestCase("sweep --param mode --values stock --shard 1-2 --csv out.csv", "--shard needs I/N")]
    [TestCase("sweep --param mode --values stock --workload nosuch --csv out.csv", "--workload 'nosuch' is not one of getppid")]
    [TestCase("merge a.csv b.csv", "Option '--csv' is required")]
    [TestCase("merge --csv out.csv", "Required argument 'SHARD.csv' missing")]
    public void ABadCommandLineGivesUsageAndTwo(string commandLine, string message)
    {
        var (status, errors) = Kmlsim(commandLine);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(CommandLine.UsageError));
            Assert.That(errors, Does.Contain(message));
            Assert.That(errors, Does.Contain("See 'kmlsim " + commandLine.Split(' ')[0] + " --help'"));
        });
    }

    [TestCase("compare", "getppid, devnull-rw, pipe-rw, callret, gettimeofday")]
    [TestCase("sweep", "MispredictPenalty")]
    public void HelpListsTheWorkloadsAndTheSweepableParameters(string command, string listed)
    {
        var output = new StringWriter();
        CommandLine.Execute([command, "--help"], output, new StringWriter());
        Assert.That(output.ToString(), Does.Contain(listed));
    }

    [Test]
    public void ShardsTakeEveryNthPointStartingAtTheirIndex()
    {
        SweepArguments Shard(string shard) => SweepCommand.Read(CommandLine.Parse(["sweep", "--param", "mode", "--values", "stock,kml,kml-without-ist,emulation", "--shard", shard, "--csv", "x.csv"]));
        Assert.Multiple(() =>
        {
            Assert.That(Shard("1/2").Points, Is.EqualTo(new[] { 0, 2 }));
            Assert.That(Shard("2/2").Points, Is.EqualTo(new[] { 1, 3 }));
            Assert.That(Shard("3/3").Points, Is.EqualTo(new[] { 2 }));
            Assert.That(Shard("5/5").Points, Is.Empty, "a shard beyond the points runs nothing (and writes only the header)");
        });
    }
}
