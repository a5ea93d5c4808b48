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
        const long Measured = 2_000_000;
        string guest = GuestCompiler.Build(Path.Combine(TestContext.CurrentContext.TestDirectory, "Guests", "compute.c"));
        var machine = new Machine(new MachineOptions { Timing = CpuProfiles.Opteron850 });
        machine.Start(guest);
        machine.Run(RunLimits.Instructions(3_000_000)); // warm-up: decode caches, JIT tiers, the first rounds of work

        long before = GC.GetAllocatedBytesForCurrentThread();
        RunResult result = machine.Run(RunLimits.Instructions(Measured));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"{allocated} bytes over {Measured} instructions");

        // What remains is the result (report dictionaries, output copies) and the decode cache still filling with
        // blocks entered mid-way (the timer's deadline checks split blocks): about 35 bytes per thousand
        // instructions, bounded by the code size. The bound, 0.1 byte per instruction, is 240 times below the
        // smallest object one instruction could allocate (24 bytes).
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Limit));
            Assert.That(allocated, Is.LessThan(Measured / 10));
        });
    }
}
