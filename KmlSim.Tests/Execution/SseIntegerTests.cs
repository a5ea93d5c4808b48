using System.Runtime.Intrinsics;
using KmlSim.Isa;
using static Iced.Intel.AssemblerRegisters;
using static KmlSim.Tests.Execution.SseSnippet;

namespace KmlSim.Tests.Execution;

/// <summary>SSE2 128-bit integer instructions, with values worked out from their definitions in AMD64 APM vol. 4.</summary>
public class SseIntegerTests
{
    private static Vector128<byte> Bytes(params byte[] b) => Vector128.Create(b);

    private static Vector128<byte> Words(params short[] w) => Vector128.Create(w).AsByte();

    [Test]
    public void StrlenIdiomFindsTheTerminator()
    {
        // pxor/pcmpeqb/pmovmskb/bsf is the core of glibc's __strlen_sse2.
        var m = Run(
            a => { a.pxor(xmm0, xmm0); a.movdqa(xmm1, __[rbx]); a.pcmpeqb(xmm1, xmm0); a.pmovmskb(eax, xmm1); },
            s => s.Poke(Data, "hello, world\0xy\0"u8));
        Assert.That(m.Cpu.GetRegister(Gpr.Rax), Is.EqualTo((1UL << 12) | (1UL << 15)));
    }

    [Test]
    public void LogicalOperations()
    {
        var m = Run(
            a => { a.movdqa(xmm2, xmm0); a.pand(xmm2, xmm1); a.movdqa(xmm3, xmm0); a.pandn(xmm3, xmm1); a.movdqa(xmm4, xmm0); a.por(xmm4, xmm1); a.movdqa(xmm5, xmm0); a.xorps(xmm5, xmm1); },
            s => { s.SetQuads(0, 0xFF00_FF00_F0F0_0000, 1); s.SetQuads(1, 0x0FF0_0FF0_FFFF_0000, 3); });
        Assert.Multiple(() =>
        {
            Assert.That(m.Quads(2), Is.EqualTo((0x0F00_0F00_F0F0_0000UL, 1UL)));
            Assert.That(m.Quads(3), Is.EqualTo((0x00F0_00F0_0F0F_0000UL, 2UL)));
            Assert.That(m.Quads(4), Is.EqualTo((0xFFF0_FFF0_FFFF_0000UL, 3UL)));
            Assert.That(m.Quads(5), Is.EqualTo((0xF0F0_F0F0_0F0F_0000UL, 2UL)));
        });
    }

    [Test]
    public void ComparesAreSignedForGreaterThan()
    {
        var m = Run(
            a => { a.movdqa(xmm2, xmm0); a.pcmpgtb(xmm2, xmm1); a.movdqa(xmm3, xmm0); a.pcmpeqw(xmm3, xmm1); a.movdqa(xmm4, xmm0); a.pcmpgtd(xmm4, xmm1); },
            s =>
            {
                s.Cpu.SetXmm(0, Vector128.Create(1, -1, 5, int.MinValue).AsByte());
                s.Cpu.SetXmm(1, Vector128.Create(-1, 1, 5, int.MaxValue).AsByte());
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.GetXmm(4).AsInt32(), Is.EqualTo(Vector128.Create(-1, 0, 0, 0)));
            Assert.That(m.Cpu.GetXmm(3).AsUInt16(), Is.EqualTo(Vector128.Create((ushort)0, 0, 0, 0, 0xFFFF, 0xFFFF, 0, 0)));
            // byte 0: 1 > 0xFF(-1); byte 3: 0 > 0xFF; byte 4: 0xFF(-1) > 1 is false; byte 7: 0xFF > 0 false.
            Assert.That(m.Cpu.GetXmm(2).GetElement(0), Is.EqualTo(0xFF));
            Assert.That(m.Cpu.GetXmm(2).GetElement(4), Is.EqualTo(0));
        });
    }

    [Test]
    public void SaturatingAddsAndSubtractsClampPerLaneType()
    {
        var m = Run(
            a =>
            {
                a.movdqa(xmm2, xmm0); a.paddusb(xmm2, xmm1);
                a.movdqa(xmm3, xmm0); a.psubusb(xmm3, xmm1);
                a.movdqa(xmm4, xmm5); a.paddsw(xmm4, xmm6);
                a.movdqa(xmm7, xmm5); a.psubsw(xmm7, xmm6);
                a.movdqa(xmm8, xmm0); a.paddsb(xmm8, xmm1);
            },
            s =>
            {
                s.Cpu.SetXmm(0, Bytes(200, 10, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
                s.Cpu.SetXmm(1, Bytes(100, 20, 1, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
                s.Cpu.SetXmm(5, Words(30000, -30000, 5, 0, 0, 0, 0, 0));
                s.Cpu.SetXmm(6, Words(10000, 10000, -7, 0, 0, 0, 0, 0));
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.GetXmm(2).GetElement(0), Is.EqualTo(255));
            Assert.That(m.Cpu.GetXmm(2).GetElement(1), Is.EqualTo(30));
            Assert.That(m.Cpu.GetXmm(3).GetElement(0), Is.EqualTo(100));
            Assert.That(m.Cpu.GetXmm(3).GetElement(1), Is.EqualTo(0));
            Assert.That(m.Cpu.GetXmm(4).AsInt16().GetElement(0), Is.EqualTo(short.MaxValue));
            Assert.That(m.Cpu.GetXmm(4).AsInt16().GetElement(1), Is.EqualTo(-20000));
            Assert.That(m.Cpu.GetXmm(4).AsInt16().GetElement(2), Is.EqualTo(-2));
            Assert.That(m.Cpu.GetXmm(7).AsInt16().GetElement(1), Is.EqualTo(short.MinValue));
            Assert.That(m.Cpu.GetXmm(8).AsSByte().GetElement(2), Is.EqualTo(127));
            Assert.That(m.Cpu.GetXmm(8).AsSByte().GetElement(3), Is.EqualTo(-128));
        });
    }

    [Test]
    public void WrappingAddsAndSubtracts()
    {
        var m = Run(
            a => { a.movdqa(xmm2, xmm0); a.paddq(xmm2, xmm1); a.movdqa(xmm3, xmm0); a.psubd(xmm3, xmm1); a.movdqa(xmm4, xmm0); a.paddb(xmm4, xmm1); },
            s => { s.SetQuads(0, ulong.MaxValue, 5); s.SetQuads(1, 2, 7); });
        Assert.Multiple(() =>
        {
            Assert.That(m.Quads(2), Is.EqualTo((1UL, 12UL)));
            Assert.That(m.Quads(3), Is.EqualTo((0xFFFF_FFFF_FFFF_FFFDUL, 0x0000_0000_FFFF_FFFEUL)));
            Assert.That(m.Quads(4), Is.EqualTo((0xFFFF_FFFF_FFFF_FF01UL, 12UL)));
        });
    }

    [Test]
    public void AveragesRoundUpAndPsadbwSumsDifferences()
    {
        var m = Run(
            a => { a.movdqa(xmm2, xmm0); a.pavgb(xmm2, xmm1); a.movdqa(xmm3, xmm0); a.psadbw(xmm3, xmm1); a.movdqa(xmm4, xmm0); a.pavgw(xmm4, xmm1); },
            s =>
            {
                s.Cpu.SetXmm(0, Bytes(1, 255, 0, 10, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0));
                s.Cpu.SetXmm(1, Bytes(2, 255, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4));
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.GetXmm(2).GetElement(0), Is.EqualTo(2));
            Assert.That(m.Cpu.GetXmm(2).GetElement(1), Is.EqualTo(255));
            Assert.That(m.Cpu.GetXmm(2).GetElement(2), Is.EqualTo(1));
            Assert.That(m.Quads(3), Is.EqualTo((1UL + 0 + 1 + 7, 9UL + 4)));
            Assert.That(m.Cpu.GetXmm(4).AsUInt16().GetElement(0), Is.EqualTo((ushort)(((0xFF01 + 0xFF02 + 1) >> 1))));
        });
    }

    [Test]
    public void Multiplies()
    {
        var m = Run(
            a =>
            {
                a.movdqa(xmm2, xmm0); a.pmullw(xmm2, xmm1);
                a.movdqa(xmm3, xmm0); a.pmulhw(xmm3, xmm1);
                a.movdqa(xmm4, xmm0); a.pmulhuw(xmm4, xmm1);
                a.movdqa(xmm5, xmm0); a.pmaddwd(xmm5, xmm1);
                a.movdqa(xmm6, xmm7); a.pmuludq(xmm6, xmm8);
            },
            s =>
            {
                s.Cpu.SetXmm(0, Words(-2, 300, 0x4000, -1, 1, 1, 1, 1));
                s.Cpu.SetXmm(1, Words(3, 300, 4, -1, 1, 1, 1, 1));
                s.Cpu.SetXmm(7, Vector128.Create(0xFFFF_FFFFu, 99, 3, 99).AsByte());
                s.Cpu.SetXmm(8, Vector128.Create(0xFFFF_FFFFu, 77, 5, 77).AsByte());
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.GetXmm(2).AsInt16().GetElement(0), Is.EqualTo(-6));
            Assert.That(m.Cpu.GetXmm(2).AsInt16().GetElement(1), Is.EqualTo(unchecked((short)90000)));
            Assert.That(m.Cpu.GetXmm(3).AsInt16().GetElement(0), Is.EqualTo(-1));
            Assert.That(m.Cpu.GetXmm(3).AsInt16().GetElement(1), Is.EqualTo(1));
            Assert.That(m.Cpu.GetXmm(4).AsUInt16().GetElement(2), Is.EqualTo(1));
            Assert.That(m.Cpu.GetXmm(4).AsUInt16().GetElement(3), Is.EqualTo(0xFFFE));
            Assert.That(m.Cpu.GetXmm(5).AsInt32().GetElement(0), Is.EqualTo((-2 * 3) + (300 * 300)));
            Assert.That(m.Cpu.GetXmm(5).AsInt32().GetElement(1), Is.EqualTo((0x4000 * 4) + 1));
            Assert.That(m.Quads(6), Is.EqualTo((0xFFFF_FFFE_0000_0001UL, 15UL)));
        });
    }

    [Test]
    public void UnpacksAndPacks()
    {
        var m = Run(
            a =>
            {
                a.movdqa(xmm2, xmm0); a.punpcklbw(xmm2, xmm1);
                a.movdqa(xmm3, xmm0); a.punpckhqdq(xmm3, xmm1);
                a.movdqa(xmm4, xmm5); a.packsswb(xmm4, xmm5);
                a.movdqa(xmm6, xmm5); a.packuswb(xmm6, xmm5);
                a.movdqa(xmm7, xmm8); a.packssdw(xmm7, xmm8);
            },
            s =>
            {
                s.SetQuads(0, 0x0706_0504_0302_0100, 0x0F0E_0D0C_0B0A_0908);
                s.SetQuads(1, 0x1716_1514_1312_1110, 0x1F1E_1D1C_1B1A_1918);
                s.Cpu.SetXmm(5, Words(300, -300, 5, -5, 127, -128, 255, 256));
                s.Cpu.SetXmm(8, Vector128.Create(70000, -70000, 12, -12).AsByte());
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.Quads(2), Is.EqualTo((0x1303_1202_1101_1000UL, 0x1707_1606_1505_1404UL)));
            Assert.That(m.Quads(3), Is.EqualTo((0x0F0E_0D0C_0B0A_0908UL, 0x1F1E_1D1C_1B1A_1918UL)));
            Assert.That(m.Cpu.GetXmm(4).AsSByte().GetElement(0), Is.EqualTo(127));
            Assert.That(m.Cpu.GetXmm(4).AsSByte().GetElement(1), Is.EqualTo(-128));
            Assert.That(m.Cpu.GetXmm(4).AsSByte().GetElement(3), Is.EqualTo(-5));
            Assert.That(m.Cpu.GetXmm(6).GetElement(0), Is.EqualTo(255));
            Assert.That(m.Cpu.GetXmm(6).GetElement(1), Is.EqualTo(0));
            Assert.That(m.Cpu.GetXmm(6).GetElement(6), Is.EqualTo(255));
            Assert.That(m.Cpu.GetXmm(6).GetElement(7), Is.EqualTo(255));
            Assert.That(m.Cpu.GetXmm(7).AsInt16(), Is.EqualTo(Vector128.Create((short)32767, -32768, 12, -12, 32767, -32768, 12, -12)));
        });
    }

    [Test]
    public void ShufflesByImmediate()
    {
        var m = Run(
            a => { a.pshufd(xmm1, xmm0, 0x1B); a.pshuflw(xmm2, xmm3, 0b00_00_00_11); a.pshufhw(xmm4, xmm3, 0b11_10_01_00 ^ 0xFF); },
            s =>
            {
                s.Cpu.SetXmm(0, Vector128.Create(10u, 11, 12, 13).AsByte());
                s.Cpu.SetXmm(3, Words(0, 1, 2, 3, 4, 5, 6, 7));
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.GetXmm(1).AsUInt32(), Is.EqualTo(Vector128.Create(13u, 12, 11, 10)));
            Assert.That(m.Cpu.GetXmm(2).AsInt16(), Is.EqualTo(Vector128.Create((short)3, 0, 0, 0, 4, 5, 6, 7)));
            Assert.That(m.Cpu.GetXmm(4).AsInt16(), Is.EqualTo(Vector128.Create((short)0, 1, 2, 3, 7, 6, 5, 4)));
        });
    }

    [Test]
    public void ShiftCountsBeyondTheLaneZeroOrSignFill()
    {
        var m = Run(
            a =>
            {
                a.movdqa(xmm1, xmm0); a.psrlw(xmm1, 4);
                a.movdqa(xmm2, xmm0); a.psrlw(xmm2, 16);
                a.movdqa(xmm3, xmm0); a.psraw(xmm3, 200);
                a.movdqa(xmm4, xmm0); a.psllq(xmm4, xmm9);
                a.movdqa(xmm5, xmm0); a.psrad(xmm5, 1);
                a.movdqa(xmm6, xmm0); a.pslld(xmm6, xmm10);
            },
            s =>
            {
                s.Cpu.SetXmm(0, Words(-32768, 0x1234, 1, 2, 3, 4, 5, -1));
                s.SetQuads(9, 4, 0);
                s.SetQuads(10, 1UL << 32, 0); // a count of 2^32 is not 0: the whole quadword counts
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.GetXmm(1).AsUInt16().GetElement(0), Is.EqualTo(0x0800));
            Assert.That(m.Cpu.GetXmm(1).AsUInt16().GetElement(1), Is.EqualTo(0x0123));
            Assert.That(m.Quads(2), Is.EqualTo((0UL, 0UL)));
            Assert.That(m.Cpu.GetXmm(3).AsInt16().GetElement(0), Is.EqualTo(-1));
            Assert.That(m.Cpu.GetXmm(3).AsInt16().GetElement(1), Is.EqualTo(0));
            Assert.That(m.Quads(4).Low, Is.EqualTo(0x0002_0001_1234_8000UL << 4));
            Assert.That(m.Cpu.GetXmm(5).AsInt32().GetElement(0), Is.EqualTo(0x1234_8000 >> 1));
            Assert.That(m.Cpu.GetXmm(5).AsInt32().GetElement(3), Is.EqualTo(unchecked((int)0xFFFF_0005) >> 1));
            Assert.That(m.Quads(6), Is.EqualTo((0UL, 0UL)));
        });
    }

    [Test]
    public void ByteShiftsMoveWholeBytesAndLargeCountsClear()
    {
        var m = Run(
            a => { a.movdqa(xmm1, xmm0); a.pslldq(xmm1, 3); a.movdqa(xmm2, xmm0); a.psrldq(xmm2, 9); a.movdqa(xmm3, xmm0); a.pslldq(xmm3, 250); a.movdqa(xmm4, xmm0); a.psrldq(xmm4, 16); },
            s => s.SetQuads(0, 0x0706_0504_0302_0100, 0x0F0E_0D0C_0B0A_0908));
        Assert.Multiple(() =>
        {
            Assert.That(m.Quads(1), Is.EqualTo((0x0403_0201_0000_0000UL, 0x0C0B_0A09_0807_0605UL)));
            Assert.That(m.Quads(2), Is.EqualTo((0x000F_0E0D_0C0B_0A09UL, 0UL)));
            Assert.That(m.Quads(3), Is.EqualTo((0UL, 0UL)));
            Assert.That(m.Quads(4), Is.EqualTo((0UL, 0UL)));
        });
    }

    [Test]
    public void MinMaxAndWordInsertExtract()
    {
        var m = Run(
            a =>
            {
                a.movdqa(xmm2, xmm0); a.pminub(xmm2, xmm1);
                a.movdqa(xmm3, xmm0); a.pmaxsw(xmm3, xmm1);
                a.pextrw(eax, xmm0, 9);
                a.pinsrw(xmm4, ecx, 6);
                a.pinsrw(xmm5, __word_ptr[rbx], 0);
            },
            s =>
            {
                s.Cpu.SetXmm(0, Words(-1, 5, 0, 0, 0, 0, 0, 0));
                s.Cpu.SetXmm(1, Words(1, 7, 0, 0, 0, 0, 0, 0));
                s.Cpu.SetRegister(Gpr.Rax, ulong.MaxValue);
                s.Cpu.SetRegister(Gpr.Rcx, 0xABCD_1234);
                s.Poke(Data, [0x22, 0x11]);
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.GetXmm(2).GetElement(0), Is.EqualTo(1));
            Assert.That(m.Cpu.GetXmm(2).GetElement(1), Is.EqualTo(0));
            Assert.That(m.Cpu.GetXmm(3).AsInt16().GetElement(0), Is.EqualTo(1));
            Assert.That(m.Cpu.GetXmm(3).AsInt16().GetElement(1), Is.EqualTo(7));
            Assert.That(m.Cpu.GetRegister(Gpr.Rax), Is.EqualTo(5)); // imm8 9 selects word 9 & 7 = 1
            Assert.That(m.Cpu.GetXmm(4).AsUInt16().GetElement(6), Is.EqualTo(0x1234));
            Assert.That(m.Cpu.GetXmm(5).AsUInt16().GetElement(0), Is.EqualTo(0x1122));
        });
    }
}
