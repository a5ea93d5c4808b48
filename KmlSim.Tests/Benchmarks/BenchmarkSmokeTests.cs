using KmlSim.Tests.DotnetTools;

namespace KmlSim.Tests.Benchmarks;

/// <summary>
/// Every BenchmarkDotNet suite runs once, in process, with the dry job (<c>KmlSim.Benchmarks --smoke</c>): it
/// proves the suites, their guests and their columns work; it measures nothing.
/// </summary>
[Category("Slow")]
public class BenchmarkSmokeTests
{
    private static readonly string[] Suites =
    [
        "NullSystemCallBenchmarks.RunLoop",
        "DevNullReadWriteBenchmarks.RunLoop",
        "CallReturnBenchmarks.RunLoop",
        "FunctionalSpeedBenchmarks.RunComputeGuest",
        "TimingSpeedBenchmarks.RunComputeGuestTimed",
    ];

    private DirectoryInfo work = null!;

    [SetUp]
    public void CreateWorkFolder() => work = Directory.CreateTempSubdirectory("kmlsim-benchmark-smoke-");

    [TearDown]
    public void DeleteWorkFolder() => work.Delete(recursive: true);

    [Test]
    public void EverySuiteRunsOnceWithTheDryJob()
    {
        string benchmarks = Path.Combine(RepositoryLayout.Root, "benchmarks", "KmlSim.Benchmarks", "bin", RepositoryLayout.Configuration, "net10.0", "KmlSim.Benchmarks.dll");
        Assert.That(File.Exists(benchmarks), $"{benchmarks} is built with the tests (project reference)");

        // Run in a scratch folder: BenchmarkDotNet writes its artifacts under the working directory.
        DotnetOutcome smoke = DotnetCommand.Run([benchmarks, "--smoke"], work.FullName, TimeSpan.FromMinutes(15));
        TestContext.Out.Write(smoke.Output);
        Assert.That(smoke.Succeeded, smoke.Describe());
        Assert.Multiple(() =>
        {
            foreach (string suite in Suites)
            {
                Assert.That(smoke.Output, Does.Contain($"{suite}: Dry"), $"{suite} ran");
            }

            Assert.That(smoke.Output, Does.Contain("Sim total cycles/op"));
        });
    }
}
