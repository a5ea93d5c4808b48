using Iced.Intel;
using KmlSim.Timing.Profiles;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Timing.Profiles;

/// <summary>
/// The family 10h profile runs and differs from the K8 where the measurements say the cores differ: BSF
/// (K8 VectorPath L 9, [AMD-25112] p.275; K10 L 4, InstLatX64 of a Barcelona Opteron), DIV r64 (K8 71, K10 79
/// for a full-width quotient), a dependent chase over 768 KB (the K8's 1 MB L2 holds it; the K10's 512 KB L2
/// does not, its 6 MB L3 does) and LFENCE (K8 5, K10 1); and agrees where they agree (IMUL r64 L 4 on both).
/// </summary>
[Category("Timing")]
public sealed class Opteron2378ProfileTests
{
    private static readonly CpuProfile K8 = CpuProfiles.Opteron850;
    private static readonly CpuProfile K10 = CpuProfiles.Opteron2378;

    [TestCase("bsf", 9, 4)]
    [TestCase("div", 71, 79)]
    [TestCase("imul", 4, 4)]
    public void ADependentChainCostsEachCoresMeasuredLatency(string instruction, int k8, int k10)
    {
        Action<Assembler> link = instruction switch
        {
            "bsf" => a => a.bsf(rax, rax),
            "div" => a =>
            {
                a.xor(edx, edx);
                a.div(rbx); // RAX / RBX with RDX = 0: the chain runs through RAX (the XOR of RDX is off it)
            },
            _ => a => a.imul(rax, rbx),
        };
        double onK8 = PerLink(link, K8), onK10 = PerLink(link, K10);
        Assert.Multiple(() =>
        {
            Assert.That(onK8, Is.EqualTo(k8).Within(0.5), "K8");
            Assert.That(onK10, Is.EqualTo(k10).Within(0.5), "K10");
        });
    }

    [Test]
    public void A768KbChaseHitsTheK8sL2AndTheK10sL3()
    {
        // 12,288 nodes 64 bytes apart (768 KB), each node on its own line; 4 KB pages, so the walk also meets TLB misses on both.
        const int Nodes = 12_288;
        static ulong At(int i) => TimedSnippet.Data + ((ulong)i * 64);
        void Setup(SnippetMachine m)
        {
            TimedSnippet.PointerRing(m, Nodes, At);
            m.Cpu.SetRegister(KmlSim.Isa.Gpr.Rax, At(0));
        }

        static void Load(Assembler a) => a.mov(rax, __qword_ptr[rax]);
        double onK8 = TimedSnippet.PerIteration(Load, Nodes, 3 * Nodes, Setup, K8).CyclesPerIteration;
        double onK10 = TimedSnippet.PerIteration(Load, Nodes, 3 * Nodes, Setup, K10).CyclesPerIteration;
        TestContext.Out.WriteLine($"768 KB chase: K8 {onK8:F1}, K10 {onK10:F1} cycles per load");
        Assert.Multiple(() =>
        {
            Assert.That(onK8, Is.LessThan(K8.DramLatency / 2.0), "the K8's L2 holds the ring: no DRAM access per load");
            Assert.That(onK10, Is.GreaterThan(onK8 + (K10.L3Latency - K8.L2Latency) / 2.0), "the K10 goes to its L3");
            Assert.That(onK10, Is.LessThan(K10.DramLatency / 2.0), "the K10's L3 holds it: no DRAM access per load");
        });
    }

    [Test]
    public void ANullSystemCallRunsOnBothAndTheLfenceOfGetppidCostsLessOnTheK10()
    {
        // 2.6.11's getppid path has one LFENCE (rmb()): 5 cycles on the K8, 1 on the K10 (InstLatX64 #684).
        var k8 = new KmlSim.Timing.Accounting.KernelWorkCosts(K8);
        var k10 = new KmlSim.Timing.Accounting.KernelWorkCosts(K10);
        Assert.That(k8.PathCycles(KmlSim.Observation.KernelPathId.Getppid) - k10.PathCycles(KmlSim.Observation.KernelPathId.Getppid), Is.EqualTo(5 - 1));
    }

    private static double PerLink(Action<Assembler> link, CpuProfile profile)
    {
        void Seed(SnippetMachine m)
        {
            m.Cpu.SetRegister(KmlSim.Isa.Gpr.Rax, 0x8000_0000_0000_0000); // BSF: bit 63 set stays set; DIV: full-width quotient
            m.Cpu.SetRegister(KmlSim.Isa.Gpr.Rbx, 1);
        }

        return TimedSnippet.PerIteration(a =>
        {
            link(a);
            link(a);
        }, 100, 600, Seed, profile).CyclesPerIteration / 2;
    }
}
