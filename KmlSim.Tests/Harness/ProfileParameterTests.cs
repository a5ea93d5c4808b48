using KmlSim.Harness;
using KmlSim.Timing.Profiles;

namespace KmlSim.Tests.Harness;

/// <summary>Sweep parameters: found by reflection over CpuProfile's init properties, applied with `with` semantics.</summary>
public class ProfileParameterTests
{
    [Test]
    public void ApplyingAValueEqualsWithExceptForTheName()
    {
        CpuProfile swept = ProfileParameter.Find("dramlatencynanoseconds").Apply(CpuProfiles.Opteron850, "95");
        CpuProfile expected = CpuProfiles.Opteron850 with { DramLatencyNanoseconds = 95, Name = swept.Name };
        Assert.Multiple(() =>
        {
            Assert.That(swept, Is.EqualTo(expected));
            Assert.That(swept.Name, Is.EqualTo("opteron850 DramLatencyNanoseconds=95"));
            Assert.That(CpuProfiles.Opteron850.DramLatencyNanoseconds, Is.EqualTo(80.4), "the preset is not changed");
        });
    }

    [Test]
    public void IntegersAndBooleansConvert()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ProfileParameter.Find("MispredictPenalty").Apply(CpuProfiles.Opteron850, "12").MispredictPenalty, Is.EqualTo(12));
            Assert.That(ProfileParameter.Find("InstructionNextLinePrefetch").Apply(CpuProfiles.Opteron850, "false").InstructionNextLinePrefetch, Is.False);
            Assert.That(ProfileParameter.Find("ClockHz").Apply(CpuProfiles.Opteron850, "2000000000").ClockHz, Is.EqualTo(2_000_000_000L));
        });
    }

    [Test]
    public void OnlyInitOnlyScalarsAreSweepable()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ProfileParameter.Names, Does.Contain("L2Latency").And.Contain("SyscallBodyBaseCycles").And.Contain("CopyBytesPerCycle"));
            Assert.That(ProfileParameter.Names, Does.Not.Contain("DramLatency"), "a computed property has no setter");
            Assert.That(ProfileParameter.Names, Does.Not.Contain("Name").And.Not.Contain("L2"), "text and cache geometries are not numbers");
        });
    }
}
