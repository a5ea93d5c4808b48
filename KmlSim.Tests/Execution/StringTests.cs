using Iced.Intel;
using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Memory;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Execution;

/// <summary>
/// String instructions against the AMD64 APM vol. 3 definitions (MOVSx, STOSx, LODSx, CMPSx, SCASx, REPx):
/// each element is processed in order, rSI/rDI step by the element size (backwards when DF = 1), rCX counts
/// down, REPE/REPNE stop on the first mismatch/match, and a fault leaves the registers at the faulting element.
/// </summary>
public class StringTests
{
    private const ulong Code = 0x400000;
    private const ulong Data = 0x10000;

    private static SnippetMachine Machine(Action<Assembler> build)
    {
        var m = new SnippetMachine();
        m.LoadCode(Code, build);
        m.Map(Data, 0x4000, PageFlags.User | PageFlags.Writable);
        return m;
    }

    private static SnippetMachine Machine(byte[] code)
    {
        var m = new SnippetMachine();
        m.LoadCode(Code, code);
        m.Map(Data, 0x4000, PageFlags.User | PageFlags.Writable);
        return m;
    }

    private static ulong Reg(SnippetMachine m, Gpr r) => m.Cpu.GetRegister(r);

    private static void RunOne(SnippetMachine m) => Assert.That(m.Run(1), Is.EqualTo(StopReason.InstructionLimit), () => m.Cpu.LastFault?.Message ?? "");

    [Test]
    public void RepMovsbWithDestinationOneAboveSourceReplicatesTheFirstByte()
    {
        var m = Machine(a => a.rep.movsb());
        m.Poke(Data, "abcdefghijklmnopq"u8);
        m.Cpu.SetRegister(Gpr.Rsi, Data);
        m.Cpu.SetRegister(Gpr.Rdi, Data + 1);
        m.Cpu.SetRegister(Gpr.Rcx, 16);
        RunOne(m);
        Assert.That(m.Peek(Data, 17), Is.EqualTo("aaaaaaaaaaaaaaaaa"u8.ToArray()));
        Assert.That((Reg(m, Gpr.Rcx), Reg(m, Gpr.Rsi), Reg(m, Gpr.Rdi)), Is.EqualTo((0UL, Data + 16, Data + 17)));
    }

    [Test]
    public void RepMovsqWithDestinationThreeBytesAboveSourceMatchesElementByElementCopy()
    {
        var m = Machine(a => a.rep.movsq());
        byte[] original = new byte[64];
        for (int i = 0; i < original.Length; i++)
        {
            original[i] = (byte)(i + 1);
        }

        m.Poke(Data, original);
        byte[] expected = (byte[])original.Clone();
        for (int e = 0; e < 4; e++)
        {
            Array.Copy(expected, e * 8, expected, 3 + (e * 8), 8); // one quadword at a time, in order
        }

        m.Cpu.SetRegister(Gpr.Rsi, Data);
        m.Cpu.SetRegister(Gpr.Rdi, Data + 3);
        m.Cpu.SetRegister(Gpr.Rcx, 4);
        RunOne(m);
        Assert.That(m.Peek(Data, 64), Is.EqualTo(expected));
    }

    [Test]
    public void RepMovsbCopiesAcrossPagesFromUnalignedAddresses()
    {
        var m = Machine(a => a.rep.movsb());
        byte[] source = new byte[9000];
        new Random(7).NextBytes(source);
        m.Map(0x30000, 0x3000, PageFlags.User | PageFlags.Writable);
        m.Poke(Data + 5, source);
        m.Cpu.SetRegister(Gpr.Rsi, Data + 5);
        m.Cpu.SetRegister(Gpr.Rdi, 0x30000 + 0x7FF);
        m.Cpu.SetRegister(Gpr.Rcx, (ulong)source.Length);
        RunOne(m);
        Assert.That(m.Peek(0x30000 + 0x7FF, source.Length), Is.EqualTo(source));
        Assert.That((Reg(m, Gpr.Rcx), Reg(m, Gpr.Rsi), Reg(m, Gpr.Rdi)), Is.EqualTo((0UL, Data + 5 + 9000, 0x30000 + 0x7FFUL + 9000)));
    }

    [Test]
    public void RepMovsbWithDirectionFlagCopiesBackwardsLikeMemmove()
    {
        var m = Machine(a => a.rep.movsb());
        m.Poke(Data, "0123456789"u8);
        m.Cpu.Rflags |= RFlags.DF;
        m.Cpu.SetRegister(Gpr.Rsi, Data + 7);
        m.Cpu.SetRegister(Gpr.Rdi, Data + 9);
        m.Cpu.SetRegister(Gpr.Rcx, 8);
        RunOne(m);
        Assert.That(m.Peek(Data, 10), Is.EqualTo("0101234567"u8.ToArray()));
        Assert.That((Reg(m, Gpr.Rsi), Reg(m, Gpr.Rdi)), Is.EqualTo((Data - 1, Data + 1)));
    }

    [Test]
    public void RepneScasbStopsAfterTheMatchingByte()
    {
        var m = Machine(a => a.repne.scasb());
        m.Poke(Data, "hello\0world"u8);
        m.Cpu.SetRegister(Gpr.Rax, 0x1234_5600); // AL = 0
        m.Cpu.SetRegister(Gpr.Rdi, Data);
        m.Cpu.SetRegister(Gpr.Rcx, ulong.MaxValue);
        RunOne(m);
        // Six bytes compared (h e l l o \0): the classic strlen idiom gives len = ~RCX - 1 = 5.
        Assert.That(~Reg(m, Gpr.Rcx) - 1, Is.EqualTo(5UL));
        Assert.That(Reg(m, Gpr.Rdi), Is.EqualTo(Data + 6));
        Assert.That(m.Cpu.Rflags & RFlags.ZF, Is.EqualTo(RFlags.ZF));
    }

    [Test]
    public void RepneScasbRunsOutOfCountWithoutAMatch()
    {
        var m = Machine(a => a.repne.scasb());
        m.Poke(Data, "abcd"u8);
        m.Cpu.SetRegister(Gpr.Rax, (byte)'z');
        m.Cpu.SetRegister(Gpr.Rdi, Data);
        m.Cpu.SetRegister(Gpr.Rcx, 4);
        RunOne(m);
        Assert.That((Reg(m, Gpr.Rcx), Reg(m, Gpr.Rdi)), Is.EqualTo((0UL, Data + 4)));
        Assert.That(m.Cpu.Rflags & RFlags.ZF, Is.Zero);
    }

    [Test]
    public void RepeCmpsbStopsAfterTheFirstMismatchWithSubtractionFlags()
    {
        var m = Machine(a => a.repe.cmpsb());
        m.Poke(Data, "abcdef"u8);
        m.Poke(Data + 0x100, "abcxef"u8);
        m.Cpu.SetRegister(Gpr.Rsi, Data);
        m.Cpu.SetRegister(Gpr.Rdi, Data + 0x100);
        m.Cpu.SetRegister(Gpr.Rcx, 6);
        RunOne(m);
        Assert.That((Reg(m, Gpr.Rcx), Reg(m, Gpr.Rsi), Reg(m, Gpr.Rdi)), Is.EqualTo((2UL, Data + 4, Data + 0x104)));
        // 'd' - 'x' = 0x64 - 0x78 = 0xEC: borrow, negative, not zero, no overflow; parity of 0xEC is odd (5 ones).
        Assert.That(m.Cpu.Rflags & RFlags.Status, Is.EqualTo(RFlags.CF | RFlags.SF | RFlags.AF));
    }

    [Test]
    public void RepeCmpsqOverEqualBuffersLeavesZeroFlagSet()
    {
        var m = Machine(a => a.repe.cmpsq());
        byte[] bytes = new byte[32];
        new Random(3).NextBytes(bytes);
        m.Poke(Data, bytes);
        m.Poke(Data + 0x200, bytes);
        m.Cpu.SetRegister(Gpr.Rsi, Data);
        m.Cpu.SetRegister(Gpr.Rdi, Data + 0x200);
        m.Cpu.SetRegister(Gpr.Rcx, 4);
        RunOne(m);
        Assert.That(Reg(m, Gpr.Rcx), Is.Zero);
        Assert.That(m.Cpu.Rflags & RFlags.Status, Is.EqualTo(RFlags.ZF | RFlags.PF));
    }

    [Test]
    public void RepWithZeroCountChangesNothing()
    {
        var m = Machine(a => a.repe.cmpsb());
        m.Cpu.Rflags |= RFlags.CF;
        m.Cpu.SetRegister(Gpr.Rsi, Data);
        m.Cpu.SetRegister(Gpr.Rdi, Data + 8);
        RunOne(m);
        Assert.That((Reg(m, Gpr.Rsi), Reg(m, Gpr.Rdi), m.Cpu.Rflags & RFlags.Status), Is.EqualTo((Data, Data + 8, RFlags.CF)));
    }

    [Test]
    public void RepStosqFaultingMidwayLeavesRcxAndRdiAtTheFaultingElement()
    {
        var m = Machine(a => a.rep.stosq());
        m.Cpu.SetRegister(Gpr.Rax, 0x1122_3344_5566_7788);
        m.Cpu.SetRegister(Gpr.Rdi, Data + 0x4000 - 16); // two quadwords before the unmapped page
        m.Cpu.SetRegister(Gpr.Rcx, 10);
        Assert.That(m.Run(1), Is.EqualTo(StopReason.Fault));
        Assert.That(m.Cpu.LastFault!.Vector, Is.EqualTo(ExceptionVector.PageFault));
        Assert.That(m.Cpu.LastFault.FaultAddress, Is.EqualTo(Data + 0x4000));
        Assert.That((Reg(m, Gpr.Rcx), Reg(m, Gpr.Rdi), m.Cpu.Rip), Is.EqualTo((8UL, Data + 0x4000, Code)));
        Assert.That(BitConverter.ToUInt64(m.Peek(Data + 0x4000 - 8, 8)), Is.EqualTo(0x1122_3344_5566_7788UL));

        // Restartable: map the page and execute the same instruction again.
        m.Map(Data + 0x4000, 0x1000, PageFlags.User | PageFlags.Writable);
        RunOne(m);
        Assert.That((Reg(m, Gpr.Rcx), Reg(m, Gpr.Rdi)), Is.EqualTo((0UL, Data + 0x4000 + 64)));
        Assert.That(BitConverter.ToUInt64(m.Peek(Data + 0x4000 + 56, 8)), Is.EqualTo(0x1122_3344_5566_7788UL));
    }

    [Test]
    public void RepMovsbFaultingOnTheSourceLeavesTheCopiedPrefixAndRegisters()
    {
        var m = Machine(a => a.rep.movsb());
        m.Map(0x30000, 0x1000, PageFlags.User | PageFlags.Writable);
        m.Poke(Data + 0x4000 - 3, "xyz"u8);
        m.Cpu.SetRegister(Gpr.Rsi, Data + 0x4000 - 3);
        m.Cpu.SetRegister(Gpr.Rdi, 0x30000);
        m.Cpu.SetRegister(Gpr.Rcx, 100);
        Assert.That(m.Run(1), Is.EqualTo(StopReason.Fault));
        Assert.That(m.Cpu.LastFault!.FaultAddress, Is.EqualTo(Data + 0x4000));
        Assert.That((Reg(m, Gpr.Rcx), Reg(m, Gpr.Rsi), Reg(m, Gpr.Rdi)), Is.EqualTo((97UL, Data + 0x4000, 0x30003UL)));
        Assert.That(m.Peek(0x30000, 3), Is.EqualTo("xyz"u8.ToArray()));
    }

    [Test]
    public void RepStoswWithDirectionFlagFillsDownwards()
    {
        var m = Machine(a => a.rep.stosw());
        m.Cpu.Rflags |= RFlags.DF;
        m.Cpu.SetRegister(Gpr.Rax, 0xFFFF_BEEF);
        m.Cpu.SetRegister(Gpr.Rdi, Data + 6);
        m.Cpu.SetRegister(Gpr.Rcx, 3);
        RunOne(m);
        Assert.That(m.Peek(Data, 10), Is.EqualTo(new byte[] { 0, 0, 0xEF, 0xBE, 0xEF, 0xBE, 0xEF, 0xBE, 0, 0 }));
        Assert.That(Reg(m, Gpr.Rdi), Is.EqualTo(Data));
    }

    [Test]
    public void RepStosbFillsSeveralPages()
    {
        var m = Machine(a => a.rep.stosb());
        m.Cpu.SetRegister(Gpr.Rax, 0x5A);
        m.Cpu.SetRegister(Gpr.Rdi, Data + 1);
        m.Cpu.SetRegister(Gpr.Rcx, 0x3000);
        RunOne(m);
        byte[] memory = m.Peek(Data, 0x3002);
        Assert.That((memory[0], memory[0x3001]), Is.EqualTo(((byte)0, (byte)0)));
        Assert.That(memory[1..0x3001].All(b => b == 0x5A), Is.True);
    }

    [Test]
    public void LodsdLoadsEaxZeroExtendedAndAdvancesRsi()
    {
        var m = Machine(a => a.lodsd());
        m.Poke(Data, [0x78, 0x56, 0x34, 0x12]);
        m.Cpu.SetRegister(Gpr.Rax, ulong.MaxValue);
        m.Cpu.SetRegister(Gpr.Rsi, Data);
        RunOne(m);
        Assert.That((Reg(m, Gpr.Rax), Reg(m, Gpr.Rsi)), Is.EqualTo((0x12345678UL, Data + 4)));
    }

    [Test]
    public void LodsbMergesIntoAl()
    {
        var m = Machine(a => a.lodsb());
        m.Poke(Data, [0x99]);
        m.Cpu.SetRegister(Gpr.Rax, 0x1111_2222_3333_4444);
        m.Cpu.SetRegister(Gpr.Rsi, Data);
        RunOne(m);
        Assert.That(Reg(m, Gpr.Rax), Is.EqualTo(0x1111_2222_3333_4499UL));
    }

    [Test]
    public void ScaswComparesAxWithTheWordAtRdi()
    {
        var m = Machine(a => a.scasw());
        m.Poke(Data, [0x00, 0x80]);
        m.Cpu.SetRegister(Gpr.Rax, 0x0001);
        m.Cpu.SetRegister(Gpr.Rdi, Data);
        RunOne(m);
        // 0x0001 - 0x8000 = 0x8001: borrow and signed overflow (positive minus negative gave negative).
        Assert.That(m.Cpu.Rflags & RFlags.Status, Is.EqualTo(RFlags.CF | RFlags.SF | RFlags.OF));
        Assert.That(Reg(m, Gpr.Rdi), Is.EqualTo(Data + 2));
    }

    [Test]
    public void StringMovsdIsTheStringFormNotSse()
    {
        var m = Machine([0xA5]); // movsd (string, doubleword)
        m.Poke(Data, [1, 2, 3, 4, 5]);
        m.Cpu.SetRegister(Gpr.Rsi, Data);
        m.Cpu.SetRegister(Gpr.Rdi, Data + 0x100);
        RunOne(m);
        Assert.That(m.Peek(Data + 0x100, 5), Is.EqualTo(new byte[] { 1, 2, 3, 4, 0 }));
        Assert.That((Reg(m, Gpr.Rsi), Reg(m, Gpr.Rdi)), Is.EqualTo((Data + 4, Data + 0x104)));
    }

    [Test]
    public void SegmentOverrideAppliesToTheSourceOnly()
    {
        var m = Machine([0x64, 0x48, 0xA5]); // movsq fs:[rsi] -> es:[rdi]
        m.Cpu.FsBase = 0x1000;
        m.Poke(Data + 0x1000, BitConverter.GetBytes(0xCAFE_F00D_DEAD_BEEFUL));
        m.Cpu.SetRegister(Gpr.Rsi, Data);
        m.Cpu.SetRegister(Gpr.Rdi, Data + 0x200);
        RunOne(m);
        Assert.That(BitConverter.ToUInt64(m.Peek(Data + 0x200, 8)), Is.EqualTo(0xCAFE_F00D_DEAD_BEEFUL));
        Assert.That(Reg(m, Gpr.Rsi), Is.EqualTo(Data + 8)); // the register, not the linear address, advances
    }

    [Test]
    public void AddressSizePrefixUsesEsiEdiEcxAndZeroExtendsThem()
    {
        var m = Machine([0x67, 0xF3, 0xA4]); // rep movsb with 32-bit addresses
        m.Poke(Data, "abc"u8);
        m.Cpu.SetRegister(Gpr.Rsi, 0xFFFF_0000_0000_0000 | Data);
        m.Cpu.SetRegister(Gpr.Rdi, 0x0000_0001_0000_0000 | (Data + 0x100));
        m.Cpu.SetRegister(Gpr.Rcx, 0xAAAA_0000_0000_0003);
        RunOne(m);
        Assert.That(m.Peek(Data + 0x100, 3), Is.EqualTo("abc"u8.ToArray()));
        Assert.That((Reg(m, Gpr.Rcx), Reg(m, Gpr.Rsi), Reg(m, Gpr.Rdi)), Is.EqualTo((0UL, Data + 3, Data + 0x103)));
    }
}
