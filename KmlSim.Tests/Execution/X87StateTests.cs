using System.Runtime.Intrinsics;
using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Memory;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Execution;

/// <summary>
/// The faults of FXSAVE/FXRSTOR, which a native run cannot survive: a misaligned area (AMD64 APM vol. 5,
/// FXSAVE/FXRSTOR: #GP when the memory operand is not aligned on a 16-byte boundary), reserved MXCSR bits
/// in an FXRSTOR image (#GP), and a fault leaving memory and registers as they were.
/// </summary>
public class X87StateTests
{
    private const ulong Code = 0x400000;
    private const ulong Data = 0x10000;

    private static SnippetMachine Machine(Action<Iced.Intel.Assembler> build)
    {
        var m = new SnippetMachine();
        m.LoadCode(Code, build);
        m.Map(Data, 0x2000, PageFlags.User | PageFlags.Writable);
        m.Cpu.SetRegister(Gpr.Rsi, Data);
        return m;
    }

    [TestCase(8)]
    [TestCase(1)]
    [TestCase(0x7F0 + 4)]
    public void FxsaveToAMisalignedAreaRaisesGeneralProtectionAndWritesNothing(int offset)
    {
        var m = Machine(a => a.fxsave64(__[rsi + offset]));
        Assert.That(m.Run(1), Is.EqualTo(StopReason.Fault));
        Assert.That((m.Cpu.LastFault?.Vector, m.Cpu.LastFault?.ErrorCode), Is.EqualTo((ExceptionVector.GeneralProtection, (uint?)0)));
        Assert.That(m.Peek(Data, 0x2000), Is.All.Zero);
    }

    [Test]
    public void FxrstorFromAMisalignedAreaRaisesGeneralProtection()
    {
        var m = Machine(a => a.fxrstor(__[rsi + 4]));
        Assert.That(m.Run(1), Is.EqualTo(StopReason.Fault));
        Assert.That(m.Cpu.LastFault?.Vector, Is.EqualTo(ExceptionVector.GeneralProtection));
    }

    [Test]
    public void FxrstorOfAReservedMxcsrBitRaisesGeneralProtectionAndChangesNothing()
    {
        var m = Machine(a => a.fxrstor64(__[rsi]));
        byte[] image = new byte[512];
        BitConverter.TryWriteBytes(image.AsSpan(0), (ushort)0x0C7F);
        BitConverter.TryWriteBytes(image.AsSpan(24), 0x1F80u | (1u << 17)); // K8's MXCSR_MASK is 0000FFFF
        image.AsSpan(160, 16).Fill(0xAB);
        m.Poke(Data, image);
        Assert.That(m.Run(1), Is.EqualTo(StopReason.Fault));
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.LastFault?.Vector, Is.EqualTo(ExceptionVector.GeneralProtection));
            Assert.That(m.Cpu.Mxcsr, Is.EqualTo(0x1F80u));
            Assert.That(m.Cpu.Fcw, Is.EqualTo(0x037F));
            Assert.That(m.Cpu.GetXmm(0), Is.EqualTo(Vector128<byte>.Zero));
        });
    }

    [Test]
    public void FxsaveAcrossIntoAnUnmappedPageFaultsOnThatPageAndWritesNothing()
    {
        var m = Machine(a => a.fxsave(__[rsi + 0x1F00])); // the area ends 0x100 bytes into the unmapped page
        Assert.That(m.Run(1), Is.EqualTo(StopReason.Fault));
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.LastFault?.Vector, Is.EqualTo(ExceptionVector.PageFault));
            Assert.That(m.Cpu.LastFault?.FaultAddress, Is.EqualTo(Data + 0x2000));
            Assert.That(m.Peek(Data + 0x1F00, 0x100), Is.All.Zero);
        });
    }
}
