namespace KmlSim.Tests.Native;

/// <summary>Base of differential test fixtures: one <see cref="DifferentialTester"/> (native pages, simulator) per fixture.</summary>
[Category("Differential")]
public abstract class DifferentialFixture
{
    private DifferentialTester? tester;

    /// <summary>The fixture's tester.</summary>
    internal DifferentialTester Tester => tester ?? throw new InvalidOperationException("fixture not set up");

    /// <summary>Maps the native pages and builds the simulator.</summary>
    [OneTimeSetUp]
    public void CreateTester() => tester = new DifferentialTester();

    /// <summary>Unmaps the native pages.</summary>
    [OneTimeTearDown]
    public void DisposeTester() => tester?.Dispose();
}
