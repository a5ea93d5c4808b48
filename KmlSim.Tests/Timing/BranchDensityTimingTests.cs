using KmlSim.Observation;
using KmlSim.Timing;
using KmlSim.Timing.Profiles;

namespace KmlSim.Tests.Timing;

/// <summary>
/// Branch density: at most 3 branches per 16-byte window can be predicted (reference §1, [AMD-25112] §6 p.127).
/// The loops are raw bytes so that the windows are exact: the loop starts 16-byte aligned at 0x400010, and four
/// taken short jumps (<c>jmp +1</c> over a NOP, 3 bytes each) sit either all in one window or two per window.
/// </summary>
[Category("Timing")]
public sealed class BranchDensityTimingTests
{
    private const byte Nop = 0x90;
    private static readonly byte[] JumpOverNop = [0xEB, 0x01, Nop];
    private static readonly CpuProfile Profile = CpuProfiles.Opteron850;

    [Test]
    public void AFourthTakenBranchInASixteenByteWindowMispredictsEveryTime()
    {
        // Window 0x400010: four jumps (12 bytes) and 4 NOPs; the loop's DEC/JNZ in the next window. The same code
        // under a profile that allowed 4 branches per window shows what the density limit costs: the fourth jump's
        // mispredict restart (at least 10 cycles, reference §1) instead of a predicted taken branch's redirect.
        CpuProfile fourPerWindow = Profile with { BranchesPerWindow = 4 };
        var (cycles, mispredicts) = PerIteration(spread: false, Profile);
        var (unlimitedCycles, unlimitedMispredicts) = PerIteration(spread: false, fourPerWindow);
        var (_, sparseMispredicts) = PerIteration(spread: true, Profile);
        TestContext.Out.WriteLine($"four jumps in a window: {cycles:F2} cycles, {mispredicts:F2} mispredicts per iteration; without the limit {unlimitedCycles:F2}, {unlimitedMispredicts:F2}");
        Assert.Multiple(() =>
        {
            Assert.That(mispredicts, Is.EqualTo(1.0).Within(0.01), "the fourth jump");
            Assert.That(unlimitedMispredicts, Is.EqualTo(0.0).Within(0.01));
            Assert.That(sparseMispredicts, Is.EqualTo(0.0).Within(0.01), "two jumps per window");
            Assert.That(cycles - unlimitedCycles, Is.GreaterThanOrEqualTo(Profile.MispredictPenalty - 1 - Profile.TakenBranchBubble));
        });
    }

    private static (double Cycles, double Mispredicts) PerIteration(bool spread, CpuProfile profile)
    {
        TimingReport a = Run(spread, 100, profile), b = Run(spread, 300, profile);
        return ((b.TotalCycles - a.TotalCycles) / 200.0, (b.Counters["branchMispredicts"] - a.Counters["branchMispredicts"]) / 200.0);
    }

    private static TimingReport Run(bool spread, int iterations, CpuProfile profile)
    {
        var code = new List<byte> { 0x49, 0xC7, 0xC7 }; // mov r15, imm32
        code.AddRange(BitConverter.GetBytes(iterations));
        Pad(code, 16);
        for (int i = 0; i < 4; i++)
        {
            code.AddRange(JumpOverNop);
            if (spread)
            {
                Pad(code, 8); // two jumps per 16-byte window
            }
        }

        Pad(code, 16);
        code.AddRange([0x49, 0xFF, 0xCF]); // dec r15
        int next = code.Count + 2;
        code.AddRange([0x75, unchecked((byte)(16 - next))]); // jnz loop (at offset 16)
        code.Add(0xF4); // hlt: #GP at CPL 3 ends the run
        var m = new SnippetMachine();
        m.LoadCode(TimedSnippet.Code, code.ToArray());
        var model = (TimingModel)profile.Attach(m.Cpu);
        m.Run(1_000_000);
        return model.Report();
    }

    private static void Pad(List<byte> code, int alignment)
    {
        while (code.Count % alignment != 0)
        {
            code.Add(Nop);
        }
    }
}
