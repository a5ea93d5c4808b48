using KmlSim.Guests;
using KmlSim.Timing.Profiles;

namespace KmlSim.Tests.Timing;

/// <summary>
/// The timed hot path (the observer report, the timing model, its caches and predictor) allocates nothing per
/// instruction: a timed run of the compute guest, after a warm-up that has decoded its code, allocates only
/// the run's fixed result objects, whatever the instruction count.
/// </summary>
[Category("Timing")]
public sealed class TimingAllocationTests
{
    [Test]
    public void ATimedRunAllocatesNothingPerInstructionAfterWarmUp()
    {
        const long Measured = 6_000_000;
        string guest = GuestCompiler.Build(Path.Combine(TestContext.CurrentContext.TestDirectory, "Guests", "compute.c"));
        var machine = new Machine(new MachineOptions { Timing = CpuProfiles.Opteron850 });
        machine.Start(guest);
        machine.Run(RunLimits.Instructions(3_000_000)); // warm-up: decode caches, JIT tiers, the first rounds of work

        long before = GC.GetAllocatedBytesForCurrentThread();
        RunResult result = machine.Run(RunLimits.Instructions(Measured));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"{allocated} bytes over {Measured} instructions");

        // The result itself (report dictionaries, output copies) takes a few kilobytes; one byte per thousand
        // instructions would already be 2 KB more than that, so the bound is far below any per-instruction allocation.
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Limit));
            Assert.That(allocated, Is.LessThan(Measured / 100));
        });
    }
}
