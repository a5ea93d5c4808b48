namespace KmlSim.Tests.Kernel.Guests;

/// <summary>
/// The Wisconsin analog in the simulator prints what the same binary prints natively (rows per query,
/// total rows and the checksum of every fetched value), for every variant, cache size and kernel mode.
/// </summary>
public class WisconsinGuestTests
{
    /// <summary>
    /// A reduced workload (about 17 M instructions natively): an index range, the point select, a 1,000-row scan whose
    /// result overflows the socket buffer (the server's EAGAIN and blocking switch), MIN and the 14 writes.
    /// </summary>
    private static readonly string[] Reduced = ["--loops", "1", "--queries", "1,3,9,10,11"];

    [TestCase(KernelMode.Stock, "client-server", 2)]
    [TestCase(KernelMode.Stock, "client-server", 2000)]
    [TestCase(KernelMode.Stock, "single", 2)]
    [TestCase(KernelMode.Stock, "single", 2000)]
    [TestCase(KernelMode.Stock, "memory", 0)]
    [TestCase(KernelMode.Kml, "client-server", 2)]
    [TestCase(KernelMode.Kml, "client-server", 2000)]
    [TestCase(KernelMode.Kml, "single", 2)]
    [TestCase(KernelMode.Kml, "single", 2000)]
    [TestCase(KernelMode.Kml, "memory", 0)]
    public void ReducedWorkloadMatchesTheNativeRun(KernelMode mode, string variant, int cachePages)
    {
        string[] arguments = [.. Reduced, "--variant", variant, .. cachePages > 0 ? (string[])["--cache", cachePages.ToString()] : []];
        AssertSameAsNative(mode, arguments);
    }

    [TestCase(KernelMode.Stock)]
    [TestCase(KernelMode.Kml)]
    [Category("Slow")]
    public void FullLoopWithTheSmallCacheMatchesTheNativeRun(KernelMode mode) => AssertSameAsNative(mode, ["--cache", "2"]);

    [Test]
    public void NativeFullLoopFetchesTheReferenceRowCount()
    {
        // wisconsin.md: 15,202 rows are fetched per loop by the ten SELECTs.
        var (stdout, exitCode) = WisconsinRuns.RunNative(["--loops", "1", "--queries", "1,2,3,4,5,6,7,8,9,10", "--variant", "memory"]);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(stdout, Does.Contain("total rows 15202\n"));
        });
    }

    private static void AssertSameAsNative(KernelMode mode, string[] arguments)
    {
        var (nativeStdout, nativeExit) = WisconsinRuns.RunNative(arguments);
        RunResult simulated = WisconsinRuns.RunSimulated(mode, arguments);
        Assert.Multiple(() =>
        {
            Assert.That(nativeExit, Is.Zero, "native run");
            Assert.That(simulated.Outcome, Is.EqualTo(RunOutcome.Exited), simulated.Message + " " + System.Text.Encoding.UTF8.GetString(simulated.Stderr));
            Assert.That(WisconsinRuns.Text(simulated), Is.EqualTo(nativeStdout));
            Assert.That(simulated.ExitCode, Is.EqualTo(nativeExit));
            Assert.That(simulated.UnimplementedSyscalls, Is.Empty);
        });
    }
}
