using KmlSim.Isa;
using KmlSim.Memory;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Timing;

/// <summary>
/// The K8's 2 MB TLB entries: the L1 DTLB has 32 x 4 KB plus 8 x 2 MB fully associative entries and the L2
/// TLB holds 4 KB entries only (reference §2, CPUID 8000_0005 EAX=FF08FF08h / EBX=FF20FF20h and
/// 8000_0006 EAX=0). A loop loading from N pages 2 MB apart therefore walks on every access once N exceeds 8
/// on 2 MB pages (a cyclic pattern over a fully associative LRU set larger than it), never on 4 KB pages.
/// </summary>
[Category("Timing")]
public sealed class LargePageTlbTests
{
    private const ulong LargeBase = 0x4000_0000; // 1 GiB: clear of the code and data of TimedSnippet
    private const ulong TwoMegabytes = 0x20_0000;
    private const ulong FirstLargeFrame = 8192; // 32 MiB into the 64 MiB machine, 2 MiB aligned, above the frames the test allocates

    private static double WalksPerIteration(int pages, bool large) => TimedSnippet.CounterPerIteration(
        a =>
        {
            for (int i = 0; i < pages; i++)
            {
                a.mov(rax, __qword_ptr[rsi + (i * (int)TwoMegabytes)]);
            }
        },
        "pageWalks",
        20,
        60,
        m =>
        {
            for (int i = 0; i < pages; i++)
            {
                ulong linear = LargeBase + ((ulong)i * TwoMegabytes);
                if (large)
                {
                    m.AddressSpace.MapLarge(linear, FirstLargeFrame + ((ulong)i * 512), PageFlags.User | PageFlags.Writable);
                }
                else
                {
                    m.Map(linear, 0x1000, PageFlags.User | PageFlags.Writable);
                }
            }

            m.Cpu.SetRegister(Gpr.Rsi, LargeBase);
        });

    [Test]
    public void EightLargePagesStayInTheL1Tlb() => Assert.That(WalksPerIteration(8, large: true), Is.EqualTo(0));

    [Test]
    public void NineLargePagesWalkOnEveryAccess() => Assert.That(WalksPerIteration(9, large: true), Is.EqualTo(9));

    [Test]
    public void NineSmallPagesFitTheThirtyTwoEntryL1Tlb() => Assert.That(WalksPerIteration(9, large: false), Is.EqualTo(0));
}
