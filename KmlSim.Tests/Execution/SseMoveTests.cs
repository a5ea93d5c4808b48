using System.Runtime.Intrinsics;
using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Memory;
using static Iced.Intel.AssemblerRegisters;
using static KmlSim.Tests.Execution.SseSnippet;

namespace KmlSim.Tests.Execution;

/// <summary>SSE/SSE2 moves (AMD64 APM vol. 4): register/memory forms, merge-versus-zero rules, alignment faults.</summary>
public class SseMoveTests
{
    private const ulong A = 0x0123_4567_89AB_CDEF, B = 0xFEDC_BA98_7654_3210, C = 0x1111_2222_3333_4444, D = 0x5555_6666_7777_8888;

    [Test]
    public void MovdqaLoadsAndStoresAnAlignedOperand()
    {
        var m = Run(a => { a.movdqa(xmm1, __[rbx]); a.movdqa(__[rbx + 16], xmm1); }, s => { s.Poke64(Data, A); s.Poke64(Data + 8, B); });
        Assert.Multiple(() =>
        {
            Assert.That(m.Quads(1), Is.EqualTo((A, B)));
            Assert.That(BitConverter.ToUInt64(m.Peek(Data + 16, 8)), Is.EqualTo(A));
            Assert.That(BitConverter.ToUInt64(m.Peek(Data + 24, 8)), Is.EqualTo(B));
        });
    }

    [Test]
    public void AlignedFormsFaultOnAMisalignedOperandAndLeaveTheDestination()
    {
        foreach (var build in new Action<Iced.Intel.Assembler>[]
        {
            a => a.movdqa(xmm1, __[rbx + 8]),
            a => a.movaps(__[rbx + 4], xmm1),
            a => a.movapd(xmm1, __[rbx + 1]),
            a => a.movntdq(__[rbx + 8], xmm1),
            a => a.paddb(xmm1, __[rbx + 8]),
            a => a.addpd(xmm1, __[rbx + 8]),
        })
        {
            var m = Run(build, s => s.SetQuads(1, C, D));
            Assert.Multiple(() =>
            {
                Assert.That(m.Cpu.LastFault?.Vector, Is.EqualTo(ExceptionVector.GeneralProtection));
                Assert.That(m.Cpu.LastFault?.ErrorCode, Is.EqualTo(0u));
                Assert.That(m.Cpu.Rip, Is.EqualTo(Code));
                Assert.That(m.Quads(1), Is.EqualTo((C, D)));
                Assert.That(m.Peek(Data, 32), Is.All.EqualTo(0));
            });
        }
    }

    [Test]
    public void MovupsAcceptsAnyAlignment()
    {
        var m = Run(a => { a.movups(xmm2, __[rbx + 3]); a.movdqu(__[rbx + 37], xmm2); }, s => { s.Poke64(Data + 3, A); s.Poke64(Data + 11, B); });
        Assert.Multiple(() =>
        {
            Assert.That(m.Quads(2), Is.EqualTo((A, B)));
            Assert.That(BitConverter.ToUInt64(m.Peek(Data + 45, 8)), Is.EqualTo(B));
        });
    }

    [Test]
    public void AStoreThatCrossesIntoAnUnmappedPageWritesNothing()
    {
        var m = Run(a => a.movups(__[rbx + 8192 - 8], xmm1), s => s.SetQuads(1, A, B));
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.LastFault?.Vector, Is.EqualTo(ExceptionVector.PageFault));
            Assert.That(m.Peek(Data + 8192 - 8, 8), Is.All.EqualTo(0));
        });
    }

    [Test]
    public void MovsdMergesBetweenRegistersAndZeroesTheUpperHalfOnALoad()
    {
        var merged = Run(a => a.movsd(xmm0, xmm1), s => { s.SetQuads(0, A, B); s.SetQuads(1, C, D); });
        var loaded = Run(a => a.movsd(xmm0, __qword_ptr[rbx]), s => { s.SetQuads(0, A, B); s.Poke64(Data, C); });
        var stored = Run(a => a.movsd(__qword_ptr[rbx], xmm1), s => s.SetQuads(1, C, D));
        Assert.Multiple(() =>
        {
            Assert.That(merged.Quads(0), Is.EqualTo((C, B)));
            Assert.That(loaded.Quads(0), Is.EqualTo((C, 0UL)));
            Assert.That(BitConverter.ToUInt64(stored.Peek(Data, 16)), Is.EqualTo(C));
            Assert.That(BitConverter.ToUInt64(stored.Peek(Data + 8, 8)), Is.EqualTo(0));
        });
    }

    [Test]
    public void MovssMergesTheLowDwordAndZeroesTheRestOnALoad()
    {
        var merged = Run(a => a.movss(xmm0, xmm1), s => { s.SetQuads(0, A, B); s.SetQuads(1, C, D); });
        var loaded = Run(a => a.movss(xmm0, __dword_ptr[rbx]), s => { s.SetQuads(0, A, B); s.Poke64(Data, C); });
        Assert.Multiple(() =>
        {
            Assert.That(merged.Quads(0), Is.EqualTo(((A & 0xFFFF_FFFF_0000_0000) | (C & 0xFFFF_FFFF), B)));
            Assert.That(loaded.Quads(0), Is.EqualTo((C & 0xFFFF_FFFF, 0UL)));
        });
    }

    [Test]
    public void MovdAndMovqTransferBetweenGprsAndXmm()
    {
        var m = Run(
            a => { a.movq(xmm0, rax); a.movd(xmm1, ecx); a.movd(edx, xmm2); a.movq(rsi, xmm2); a.movq(xmm3, xmm2); a.movq(__qword_ptr[rbx], xmm2); },
            s =>
            {
                s.SetQuads(0, C, D);
                s.SetQuads(1, C, D);
                s.SetQuads(2, A, B);
                s.SetQuads(3, C, D);
                s.Cpu.SetRegister(Gpr.Rax, A);
                s.Cpu.SetRegister(Gpr.Rcx, B);
                s.Cpu.SetRegister(Gpr.Rdx, ulong.MaxValue);
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.Quads(0), Is.EqualTo((A, 0UL)));
            Assert.That(m.Quads(1), Is.EqualTo((B & 0xFFFF_FFFF, 0UL)));
            Assert.That(m.Cpu.GetRegister(Gpr.Rdx), Is.EqualTo(A & 0xFFFF_FFFF));
            Assert.That(m.Cpu.GetRegister(Gpr.Rsi), Is.EqualTo(A));
            Assert.That(m.Quads(3), Is.EqualTo((A, 0UL)));
            Assert.That(BitConverter.ToUInt64(m.Peek(Data, 8)), Is.EqualTo(A));
        });
    }

    [Test]
    public void HalfRegisterMovesTouchOnlyTheirHalf()
    {
        var m = Run(
            a => { a.movhps(xmm0, __[rbx]); a.movlpd(xmm1, __[rbx]); a.movhlps(xmm2, xmm4); a.movlhps(xmm3, xmm4); a.movhpd(__[rbx + 16], xmm4); a.movlps(__[rbx + 24], xmm4); },
            s =>
            {
                s.Poke64(Data, A);
                s.SetQuads(0, C, D);
                s.SetQuads(1, C, D);
                s.SetQuads(2, C, D);
                s.SetQuads(3, C, D);
                s.SetQuads(4, A, B);
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.Quads(0), Is.EqualTo((C, A)));
            Assert.That(m.Quads(1), Is.EqualTo((A, D)));
            Assert.That(m.Quads(2), Is.EqualTo((B, D)));
            Assert.That(m.Quads(3), Is.EqualTo((C, A)));
            Assert.That(BitConverter.ToUInt64(m.Peek(Data + 16, 8)), Is.EqualTo(B));
            Assert.That(BitConverter.ToUInt64(m.Peek(Data + 24, 8)), Is.EqualTo(A));
        });
    }

    [Test]
    public void MovmskCollectsSignBits()
    {
        var m = Run(
            a => { a.movmskps(eax, xmm0); a.movmskpd(ecx, xmm0); },
            s =>
            {
                s.SetSingles(0, -1f, 2f, -0f, float.NaN);
                s.Cpu.SetRegister(Gpr.Rax, ulong.MaxValue);
            });
        Assert.Multiple(() =>
        {
            // float.NaN in .NET is the negative default NaN 0xFFC00000. As doubles, the lanes' sign bits are
            // those of the odd singles: 2f (clear) and the NaN (set).
            Assert.That(m.Cpu.GetRegister(Gpr.Rax), Is.EqualTo(0b1101));
            Assert.That(m.Cpu.GetRegister(Gpr.Rcx), Is.EqualTo(0b10));
        });
    }

    [Test]
    public void LdmxcsrLoadsStmxcsrStoresAndReservedBitsFault()
    {
        var m = Run(a => { a.ldmxcsr(__dword_ptr[rbx]); a.stmxcsr(__dword_ptr[rbx + 4]); }, s => s.Poke64(Data, 0x7F80 | MxcsrBits.FlushToZero));
        var bad = Run(a => a.ldmxcsr(__dword_ptr[rbx]), s => s.Poke64(Data, 0x1_1F80));
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.Mxcsr, Is.EqualTo(0x7F80 | MxcsrBits.FlushToZero));
            Assert.That(BitConverter.ToUInt32(m.Peek(Data + 4, 4)), Is.EqualTo(0x7F80 | MxcsrBits.FlushToZero));
            Assert.That(bad.Cpu.LastFault?.Vector, Is.EqualTo(ExceptionVector.GeneralProtection));
            Assert.That(bad.Cpu.Mxcsr, Is.EqualTo(MxcsrBits.Default));
        });
    }

    [Test]
    public void ShufpsAndShufpdSelectLanesByImmediate()
    {
        var m = Run(
            a => { a.shufps(xmm0, xmm1, 0b00_01_10_11); a.shufpd(xmm2, xmm3, 0b01); },
            s =>
            {
                s.Cpu.SetXmm(0, Vector128.Create(0u, 1, 2, 3).AsByte());
                s.Cpu.SetXmm(1, Vector128.Create(10u, 11, 12, 13).AsByte());
                s.SetQuads(2, A, B);
                s.SetQuads(3, C, D);
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.GetXmm(0).AsUInt32(), Is.EqualTo(Vector128.Create(3u, 2, 11, 10)));
            Assert.That(m.Quads(2), Is.EqualTo((B, C)));
        });
    }

    [Test]
    public void FloatUnpacksInterleaveLanes()
    {
        var m = Run(
            a => { a.unpcklps(xmm0, xmm1); a.unpckhps(xmm2, xmm1); a.unpcklpd(xmm3, xmm4); a.unpckhpd(xmm5, xmm4); },
            s =>
            {
                s.Cpu.SetXmm(0, Vector128.Create(0u, 1, 2, 3).AsByte());
                s.Cpu.SetXmm(2, Vector128.Create(0u, 1, 2, 3).AsByte());
                s.Cpu.SetXmm(1, Vector128.Create(10u, 11, 12, 13).AsByte());
                s.SetQuads(3, A, B);
                s.SetQuads(5, A, B);
                s.SetQuads(4, C, D);
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.GetXmm(0).AsUInt32(), Is.EqualTo(Vector128.Create(0u, 10, 1, 11)));
            Assert.That(m.Cpu.GetXmm(2).AsUInt32(), Is.EqualTo(Vector128.Create(2u, 12, 3, 13)));
            Assert.That(m.Quads(3), Is.EqualTo((A, C)));
            Assert.That(m.Quads(5), Is.EqualTo((B, D)));
        });
    }

    [Test]
    public void MovntiStoresAGpr()
    {
        var m = Run(a => { a.movnti(__[rbx], rax); a.movnti(__[rbx + 8], ecx); }, s => { s.Cpu.SetRegister(Gpr.Rax, A); s.Cpu.SetRegister(Gpr.Rcx, B); });
        Assert.Multiple(() =>
        {
            Assert.That(BitConverter.ToUInt64(m.Peek(Data, 8)), Is.EqualTo(A));
            Assert.That(BitConverter.ToUInt64(m.Peek(Data + 8, 8)), Is.EqualTo(B & 0xFFFF_FFFF));
        });
    }
}
