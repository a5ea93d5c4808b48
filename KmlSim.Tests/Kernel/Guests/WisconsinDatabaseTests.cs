using KmlSim.Guests;

namespace KmlSim.Tests.Kernel.Guests;

/// <summary>The pristine Wisconsin database: cached per binary and seed, and the same bytes whether the host or the simulator loads it.</summary>
public class WisconsinDatabaseTests
{
    [Test]
    public void PristineDatabaseIsCachedPerSeed()
    {
        string binary = WisconsinRuns.Binary;
        string first = WisconsinDatabase.Pristine(binary);
        string otherSeed = WisconsinDatabase.Pristine(binary, 2);
        Assert.Multiple(() =>
        {
            Assert.That(WisconsinDatabase.Pristine(binary), Is.EqualTo(first));
            Assert.That(otherSeed, Is.Not.EqualTo(first));
            Assert.That(File.ReadAllBytes(otherSeed), Is.Not.EqualTo(File.ReadAllBytes(first)), "another permutation, another file");
        });
    }

    [Test]
    [Category("Slow")]
    public void SimulatedLoadWritesTheNativeBytes()
    {
        // About 0.7 billion instructions: the path taken on hosts that cannot run the guest natively.
        byte[] simulated = WisconsinDatabase.CreateSimulated(WisconsinRuns.Binary, WisconsinDatabase.DefaultSeed);
        Assert.That(simulated, Is.EqualTo(File.ReadAllBytes(WisconsinRuns.Pristine)));
    }
}
