using KmlSim.Harness;

namespace KmlSim.Tests.Harness;

/// <summary>Mean and 95% interval against hand computation and the Student t table (two-sided 0.05 column).</summary>
public class EstimateTests
{
    // Student t, two-sided 95% (one-sided 0.975) critical values, from any printed t table
    // (e.g. NIST/SEMATECH e-Handbook of Statistical Methods, table 1.3.6.7.2).
    [TestCase(1, 12.706)]
    [TestCase(2, 4.303)]
    [TestCase(4, 2.776)]
    [TestCase(9, 2.262)]
    [TestCase(29, 2.045)]
    [TestCase(100, 1.984)]
    public void TheTQuantileMatchesTheTable(int degreesOfFreedom, double tableValue)
    {
        Assert.That(Estimate.TQuantile975(degreesOfFreedom), Is.EqualTo(tableValue).Within(0.0005));
    }

    [Test]
    public void FiveValuesGiveTheirMeanAndTheTInterval()
    {
        // mean 3; sample variance (4 + 1 + 0 + 1 + 4) / 4 = 2.5; half-width 2.776 * sqrt(2.5) / sqrt(5) = 1.963.
        Estimate estimate = Estimate.Of([1, 2, 3, 4, 5]);
        Assert.Multiple(() =>
        {
            Assert.That(estimate.Mean, Is.EqualTo(3));
            Assert.That(estimate.HalfWidth, Is.EqualTo(1.963).Within(0.001));
            Assert.That(estimate.Runs, Is.EqualTo(5));
            Assert.That(estimate.Format("N2"), Is.EqualTo("3.00 ± 1.96"));
        });
    }

    [Test]
    public void OneRunIsExact()
    {
        Estimate estimate = Estimate.Of([196]);
        Assert.Multiple(() =>
        {
            Assert.That(estimate.HalfWidth, Is.Zero);
            Assert.That(estimate.Format("N0"), Is.EqualTo("196"));
            Assert.That(Estimate.Describe(1), Does.StartWith("exact (deterministic)"));
            Assert.That(Estimate.Describe(5), Does.Contain("95% confidence interval over 5 seeds").And.Contain("4 degrees of freedom"));
        });
    }

    [Test]
    public void IdenticalRunsHaveAZeroWidthInterval()
    {
        Assert.That(Estimate.Of([7, 7, 7]).HalfWidth, Is.Zero);
    }

    [Test]
    public void NoValuesIsAnError()
    {
        Assert.That(() => Estimate.Of([]), Throws.ArgumentException);
    }
}
