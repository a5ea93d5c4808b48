using KmlSim.Timing.Pipeline;
using KmlSim.Timing.Profiles;

namespace KmlSim.Tests.Timing;

/// <summary>
/// Page walks of the timing model: a 4 KB translation reads the PML4, PDP, PD and PT entries; a 2 MB one
/// ends at the PD entry whose PS bit is set (AMD64 APM vol. 2, §5.3.3 and §5.3.4), so it reads three.
/// Each read goes through the data caches, which are cold here, so every entry and the data come from DRAM.
/// </summary>
[Category("Timing")]
public sealed class PageWalkTests
{
    [TestCase(false, 4)]
    [TestCase(true, 3)]
    public void AColdWalkReadsOneEntryPerLevel(bool largePage, int levels)
    {
        CpuProfile profile = CpuProfiles.Opteron850;
        var memory = new MemoryTiming(profile) { IsLargePage = _ => largePage };

        long dataReady = memory.Load(0x7000_1234, 8, addressReady: 0);

        Assert.Multiple(() =>
        {
            Assert.That(memory.DataTlb.Walks, Is.EqualTo(1));
            Assert.That(memory.Caches.L1DMisses, Is.EqualTo(levels + 1), "one line per level, then the data");
            Assert.That(dataReady, Is.EqualTo(profile.PageWalkOverhead + ((levels + 1) * profile.DramLatency)));
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public void TheSecondAccessToThePageHitsTheL1Tlb(bool largePage)
    {
        var memory = new MemoryTiming(CpuProfiles.Opteron850) { IsLargePage = _ => largePage };
        memory.Load(0x7000_1234, 8, addressReady: 0);
        int asked = 0;
        memory.IsLargePage = _ => { asked++; return largePage; };

        memory.Load(0x7000_1F00, 8, addressReady: 0);

        Assert.Multiple(() =>
        {
            Assert.That(memory.DataTlb.L1Misses, Is.EqualTo(1));
            Assert.That(asked, Is.Zero, "the page size is asked on a miss only");
        });
    }
}
