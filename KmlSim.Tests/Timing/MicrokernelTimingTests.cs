using Iced.Intel;
using KmlSim.Timing.Profiles;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Timing;

/// <summary>
/// Microkernels whose cycles follow from AMD 25112 (Software Optimization Guide for AMD64 Processors) and InstLatX86 measurements of a K8 (cited per test). Tolerance 10% unless
/// the reference gives a range.
/// </summary>
[Category("Timing")]
public sealed class MicrokernelTimingTests
{
    private const double Tolerance = 0.10;

    private static void Repeat(Assembler a, int times, Action<Assembler, int> emit)
    {
        for (int i = 0; i < times; i++)
        {
            emit(a, i);
        }
    }

    [Test]
    public void DependentAddChainTakesOneCyclePerAdd()
    {
        // reference §3: ALU reg,reg L 1.
        var (perIteration, _) = TimedSnippet.PerIteration(a => Repeat(a, 60, (x, _) => x.add(rax, rbx)), 50, 150);
        TestContext.Out.WriteLine($"{TestContext.CurrentContext.Test.Name}: {perIteration / 60:F2} cycles per instruction");
        Assert.That(perIteration / 60, Is.EqualTo(1.0).Within(10).Percent);
    }

    [Test]
    public void IndependentAddsRetireThreePerCycle()
    {
        // reference §3: ALU reg,reg T 0.33 (3 per clock); 96 adds over six registers, plus DEC/JNZ and the taken-branch bubble.
        AssemblerRegister64[] targets = [rax, rcx, rdx, rsi, rdi, r8];
        var (perIteration, _) = TimedSnippet.PerIteration(a => Repeat(a, 96, (x, i) => x.add(targets[i % targets.Length], rbx)), 50, 150);
        TestContext.Out.WriteLine($"{TestContext.CurrentContext.Test.Name}: {perIteration / 96:F2} cycles per instruction");
        Assert.That(perIteration / 96, Is.EqualTo(1.0 / 3).Within(10).Percent);
    }

    [Test]
    public void DependentImul64ChainTakesFourCycles()
    {
        // reference §3: IMUL r64,r64 L 4 ([InstLat-X2]).
        var (perIteration, _) = TimedSnippet.PerIteration(a => Repeat(a, 30, (x, _) => x.imul(rax, rbx)), 20, 60);
        TestContext.Out.WriteLine($"{TestContext.CurrentContext.Test.Name}: {perIteration / 30:F2} cycles per instruction");
        Assert.That(perIteration / 30, Is.EqualTo(4.0).Within(10).Percent);
    }

    [Test]
    public void Div64TakesAboutSeventyOneCycles()
    {
        // reference §3: DIV r64 L 71-72 ([InstLat-X2]); RBX = 1 keeps RAX and leaves RDX = 0, so each DIV depends on the last.
        var (perIteration, _) = TimedSnippet.PerIteration(
            a => Repeat(a, 10, (x, _) => x.div(rbx)), 10, 30,
            m => { m.Cpu.SetRegister(KmlSim.Isa.Gpr.Rbx, 1); m.Cpu.SetRegister(KmlSim.Isa.Gpr.Rax, 12345); });
        TestContext.Out.WriteLine($"{TestContext.CurrentContext.Test.Name}: {perIteration / 10:F2} cycles per instruction");
        Assert.That(perIteration / 10, Is.InRange(71 * (1 - Tolerance), 72 * (1 + Tolerance)));
    }

    [Test]
    public void PointerChaseInL1TakesThreeCycles()
    {
        // reference §2: L1D load-use 3 cycles for 64-bit loads. 64 nodes on one page: 4 KB, L1-resident.
        var (perIteration, _) = TimedSnippet.PerIteration(
            a => Repeat(a, 32, (x, _) => x.mov(rax, __qword_ptr[rax])), 50, 150,
            m => Chase(m, 64, i => TimedSnippet.Data + ((ulong)i * 64)));
        TestContext.Out.WriteLine($"{TestContext.CurrentContext.Test.Name}: {perIteration / 32:F2} cycles per instruction");
        Assert.That(perIteration / 32, Is.EqualTo(3.0).Within(10).Percent);
    }

    [Test]
    public void PointerChaseInL2TakesAboutTwelveCycles()
    {
        // reference §2: L2 load-to-use 12 clks measured ([InstLat-248]; 11 on the 240 HE): 512 KB ring, larger
        // than L1 (64 KB), smaller than the exclusive L1 + L2; lines in page order so that TLB misses are rare.
        var (perIteration, _) = TimedSnippet.PerIteration(
            a => Repeat(a, 32, (x, _) => x.mov(rax, __qword_ptr[rax])), 512, 1024,
            m => Chase(m, 8192, i => TimedSnippet.Data + ((ulong)i * 64)));
        TestContext.Out.WriteLine($"{TestContext.CurrentContext.Test.Name}: {perIteration / 32:F2} cycles per instruction");
        Assert.That(perIteration / 32, Is.InRange(11 * (1 - Tolerance), 12 * (1 + Tolerance)));
    }

    [Test]
    public void PointerChaseInDramTakesTheDramLatencyPlusTheWalk()
    {
        // reference §2: DRAM latency from the profile (80.4 ns at 2.4 GHz = 193 cycles); one node per 4 KB page
        // over 16 MB, so every load also misses both TLBs and walks: the reference derives 30-35 extra cycles.
        int dram = CpuProfiles.Opteron850.DramLatency;
        var (perIteration, report) = TimedSnippet.PerIteration(
            a => Repeat(a, 16, (x, _) => x.mov(rax, __qword_ptr[rax])), 128, 256,
            m => Chase(m, 4096, i => TimedSnippet.Data + ((ulong)i * 4096) + ((ulong)(i % 64) * 64)));
        TestContext.Out.WriteLine($"DRAM chase: {perIteration / 16:F1} cycles per load (profile DRAM {dram}); walks {report.Counters["pageWalks"]}");
        Assert.That(perIteration / 16, Is.InRange(dram * (1 - Tolerance), (dram + 35) * (1 + Tolerance)));
        Assert.That(perIteration / 16, Is.GreaterThan(dram), "the walk adds to the DRAM latency");
    }

    [Test]
    public void UnlearnableBranchCostsAtLeastTenCyclesPerMispredict()
    {
        // reference §1: mispredict penalty minimum 10 cycles ([AMD-25112] §A.6). Random bits (seeded) vs all zeros.
        byte[] random = new byte[4096];
        new Random(1234).NextBytes(random);
        (double cycles, double mispredicts) Measure(byte[] bits)
        {
            void Setup(SnippetMachine m)
            {
                m.Map(TimedSnippet.Data, 4096, KmlSim.Memory.PageFlags.User | KmlSim.Memory.PageFlags.Writable);
                m.Poke(TimedSnippet.Data, bits);
                m.Cpu.SetRegister(KmlSim.Isa.Gpr.Rsi, TimedSnippet.Data);
            }

            void Body(Assembler a)
            {
                var skip = a.CreateLabel();
                a.movzx(eax, __byte_ptr[rsi]);
                a.inc(rsi);
                a.and(rsi, (int)(TimedSnippet.Data + 4095));
                a.test(al, 1);
                a.jz(skip);
                a.add(rbx, 1);
                a.Label(ref skip);
            }

            var (c, _) = TimedSnippet.PerIteration(Body, 1000, 3000, Setup);
            return (c, TimedSnippet.CounterPerIteration(Body, "branchMispredicts", 1000, 3000, Setup));
        }

        var (randomCycles, randomMisses) = Measure(random);
        var (zeroCycles, zeroMisses) = Measure(new byte[4096]);
        double perMispredict = (randomCycles - zeroCycles) / (randomMisses - zeroMisses);
        TestContext.Out.WriteLine($"random {randomCycles:F2} c/it ({randomMisses:F2} mispredicts/it), predictable {zeroCycles:F2} c/it: {perMispredict:F1} cycles per mispredict");
        Assert.That(randomMisses, Is.GreaterThan(0.3), "about half of the random branches mispredict");
        Assert.That(perMispredict, Is.GreaterThanOrEqualTo(10));
    }

    [Test]
    public void ReturnsDeeperThanTheTwelveEntryStackMispredict()
    {
        // reference §1: 12-entry return stack ([AMD-25112] §6.4). Recursion 20 deep: 8 returns miss; 10 deep: none.
        double Misses(int depth) => TimedSnippet.CounterPerIteration(a => Recursion(a, depth), "returnMispredicts", 20, 60,
            m => { m.Map(0x50_0000 - 0x4000, 0x4000, KmlSim.Memory.PageFlags.User | KmlSim.Memory.PageFlags.Writable); m.Cpu.SetRegister(KmlSim.Isa.Gpr.Rsp, 0x50_0000 - 8); });
        Assert.Multiple(() =>
        {
            Assert.That(Misses(20), Is.EqualTo(8).Within(0.01));
            Assert.That(Misses(10), Is.EqualTo(0).Within(0.01));
        });
    }

    private static void Recursion(Assembler a, int depth)
    {
        var function = a.CreateLabel();
        var done = a.CreateLabel();
        var after = a.CreateLabel();
        a.mov(rdi, depth);
        a.call(function);
        a.jmp(after);
        a.Label(ref function);
        a.dec(rdi);
        a.jz(done);
        a.call(function);
        a.Label(ref done);
        a.ret();
        a.Label(ref after);
    }

    private static void Chase(SnippetMachine m, int nodes, Func<int, ulong> addressOf)
    {
        TimedSnippet.PointerRing(m, nodes, addressOf);
        m.Cpu.SetRegister(KmlSim.Isa.Gpr.Rax, addressOf(0));
    }
}
