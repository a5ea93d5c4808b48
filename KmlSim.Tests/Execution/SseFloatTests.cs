using System.Runtime.Intrinsics;
using KmlSim.Interrupts;
using KmlSim.Isa;
using static Iced.Intel.AssemblerRegisters;
using static KmlSim.Tests.Execution.SseSnippet;

namespace KmlSim.Tests.Execution;

/// <summary>
/// SSE/SSE2 floating point with values derived from AMD64 APM vol. 1 §4.9 (NaN and exception rules) and
/// vol. 4 (each instruction): NaN propagation, default NaN, MIN/MAX operand order, MXCSR rounding and flags,
/// the integer indefinite value, COMIS flags, FZ/DAZ and the unmasked-exception fault.
/// </summary>
public class SseFloatTests
{
    private const ulong QNaNA = 0x7FF8_0000_0000_1111, QNaNB = 0xFFF8_0000_0000_2222, SNaN = 0x7FF0_0000_0000_0001;

    private static SnippetMachine RunWithMxcsr(uint mxcsr, Action<Iced.Intel.Assembler> build, Action<SnippetMachine> setup) =>
        Run(build, s => { s.Cpu.Mxcsr = mxcsr; setup(s); });

    private static uint Rounding(int rc) => MxcsrBits.Default | ((uint)rc << MxcsrBits.RoundingShift);

    [Test]
    public void ScalarArithmeticKeepsTheUpperLane()
    {
        var m = Run(a => { a.addsd(xmm0, xmm1); a.mulsd(xmm0, xmm1); a.divsd(xmm0, __qword_ptr[rbx]); }, s =>
        {
            s.SetDoubles(0, 1.5, 99);
            s.SetDoubles(1, 2.5, 77);
            s.Poke64(Data, BitConverter.DoubleToUInt64Bits(4));
        });
        Assert.Multiple(() =>
        {
            Assert.That(m.LowDouble(0), Is.EqualTo(2.5));
            Assert.That(m.Quads(0).High, Is.EqualTo(BitConverter.DoubleToUInt64Bits(99)));
            Assert.That(m.Cpu.Mxcsr, Is.EqualTo(MxcsrBits.Default)); // every step exact
        });
    }

    [Test]
    public void FirstSourceNaNWinsAndSignalingNaNsAreQuietedWithInvalid()
    {
        var both = Run(a => a.addsd(xmm0, xmm1), s => { s.SetQuads(0, QNaNA, 0); s.SetQuads(1, QNaNB, 0); });
        var second = Run(a => a.subsd(xmm0, xmm1), s => { s.SetDoubles(0, 1, 0); s.SetQuads(1, QNaNB, 0); });
        var signaling = Run(a => a.mulsd(xmm0, xmm1), s => { s.SetQuads(0, SNaN, 0); s.SetQuads(1, QNaNB, 0); });
        Assert.Multiple(() =>
        {
            Assert.That(both.Quads(0).Low, Is.EqualTo(QNaNA));
            Assert.That(both.Cpu.Mxcsr & 0x3F, Is.Zero);
            Assert.That(second.Quads(0).Low, Is.EqualTo(QNaNB));
            Assert.That(signaling.Quads(0).Low, Is.EqualTo(SNaN | (1UL << 51)));
            Assert.That(signaling.Cpu.Mxcsr & 0x3F, Is.EqualTo(MxcsrBits.Invalid));
        });
    }

    [Test]
    public void InvalidOperationsGiveTheNegativeDefaultNaN()
    {
        var m = Run(
            a => { a.subsd(xmm0, xmm1); a.sqrtss(xmm2, xmm3); a.mulpd(xmm4, xmm5); },
            s =>
            {
                s.SetDoubles(0, double.PositiveInfinity, 0);
                s.SetDoubles(1, double.PositiveInfinity, 0);
                s.SetSingles(3, -1f, 0, 0, 0);
                s.SetDoubles(4, 0.0, 2);
                s.SetDoubles(5, double.NegativeInfinity, 3);
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.Quads(0).Low, Is.EqualTo(0xFFF8_0000_0000_0000UL));
            Assert.That(m.Dword(2, 0), Is.EqualTo(0xFFC0_0000u));
            Assert.That(m.Quads(4), Is.EqualTo((0xFFF8_0000_0000_0000UL, BitConverter.DoubleToUInt64Bits(6))));
            Assert.That(m.Cpu.Mxcsr & 0x3F, Is.EqualTo(MxcsrBits.Invalid));
        });
    }

    [Test]
    public void MinAndMaxReturnTheSecondOperandForNaNsAndZeros()
    {
        var m = Run(
            a => { a.minsd(xmm0, xmm1); a.maxsd(xmm2, xmm3); a.minpd(xmm4, xmm5); },
            s =>
            {
                s.SetQuads(0, QNaNA, 0);
                s.SetDoubles(1, 5, 0);
                s.SetDoubles(2, 0.0, 0);
                s.SetDoubles(3, -0.0, 0);
                s.SetDoubles(4, 1, -0.0);
                s.SetQuads(5, SNaN, 0);
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.LowDouble(0), Is.EqualTo(5));
            Assert.That(m.Quads(2).Low, Is.EqualTo(0x8000_0000_0000_0000UL));
            Assert.That(m.Quads(4), Is.EqualTo((SNaN, 0UL))); // returned as is, not quieted; +0 is the second operand
            Assert.That(m.Cpu.Mxcsr & 0x3F, Is.EqualTo(MxcsrBits.Invalid)); // MIN/MAX signal on any NaN
        });
    }

    [Test]
    public void DivisionByZeroOverflowUnderflowAndInexactFlags()
    {
        var zero = Run(a => a.divsd(xmm0, xmm1), s => { s.SetDoubles(0, -3, 0); s.SetDoubles(1, 0, 0); });
        var overflow = Run(a => a.mulsd(xmm0, xmm0), s => s.SetDoubles(0, 1e300, 0));
        var underflow = Run(a => a.mulsd(xmm0, xmm0), s => s.SetDoubles(0, 1e-300, 0));
        var inexact = Run(a => a.divss(xmm0, xmm1), s => { s.SetSingles(0, 1, 0, 0, 0); s.SetSingles(1, 3, 0, 0, 0); });
        Assert.Multiple(() =>
        {
            Assert.That(zero.LowDouble(0), Is.EqualTo(double.NegativeInfinity));
            Assert.That(zero.Cpu.Mxcsr & 0x3F, Is.EqualTo(MxcsrBits.DivideByZero));
            Assert.That(overflow.LowDouble(0), Is.EqualTo(double.PositiveInfinity));
            Assert.That(overflow.Cpu.Mxcsr & 0x3F, Is.EqualTo(MxcsrBits.Overflow | MxcsrBits.Precision));
            Assert.That(underflow.LowDouble(0), Is.EqualTo(0.0));
            Assert.That(underflow.Cpu.Mxcsr & 0x3F, Is.EqualTo(MxcsrBits.Underflow | MxcsrBits.Precision));
            Assert.That(inexact.Single(0, 0), Is.EqualTo(1f / 3f));
            Assert.That(inexact.Cpu.Mxcsr & 0x3F, Is.EqualTo(MxcsrBits.Precision));
        });
    }

    [TestCase(0, 0x3FF0_0000_0000_0000UL)] // nearest: 1 + 2^-60 rounds to 1
    [TestCase(1, 0x3FF0_0000_0000_0000UL)] // down
    [TestCase(2, 0x3FF0_0000_0000_0001UL)] // up: the next double above 1
    [TestCase(3, 0x3FF0_0000_0000_0000UL)] // toward zero
    public void AdditionHonoursTheRoundingControl(int rc, ulong expected)
    {
        var m = RunWithMxcsr(Rounding(rc), a => a.addsd(xmm0, xmm1), s => { s.SetDoubles(0, 1, 0); s.SetDoubles(1, Math.ScaleB(1, -60), 0); });
        Assert.That(m.Quads(0).Low, Is.EqualTo(expected));
    }

    [TestCase(0, double.PositiveInfinity)]
    [TestCase(1, double.MaxValue)]
    [TestCase(2, double.PositiveInfinity)]
    [TestCase(3, double.MaxValue)]
    public void MaskedOverflowGivesInfinityOrTheLargestFiniteByRoundingMode(int rc, double expected)
    {
        var m = RunWithMxcsr(Rounding(rc), a => a.addsd(xmm0, xmm0), s => s.SetDoubles(0, double.MaxValue, 0));
        Assert.That(m.LowDouble(0), Is.EqualTo(expected));
    }

    [Test]
    public void ExactZeroSumIsNegativeOnlyWhenRoundingDown()
    {
        var down = RunWithMxcsr(Rounding(1), a => a.subsd(xmm0, xmm0), s => s.SetDoubles(0, 5, 0));
        var nearest = Run(a => a.subsd(xmm0, xmm0), s => s.SetDoubles(0, 5, 0));
        Assert.Multiple(() =>
        {
            Assert.That(down.Quads(0).Low, Is.EqualTo(0x8000_0000_0000_0000UL));
            Assert.That(nearest.Quads(0).Low, Is.Zero);
        });
    }

    [Test]
    public void FlushToZeroAndDenormalsAreZero()
    {
        double tiny = Math.ScaleB(1, -1030); // a denormal
        var ftz = RunWithMxcsr(MxcsrBits.Default | MxcsrBits.FlushToZero, a => a.mulsd(xmm0, xmm1), s => { s.SetDoubles(0, tiny, 0); s.SetDoubles(1, 0.5, 0); });
        var daz = RunWithMxcsr(MxcsrBits.Default | MxcsrBits.DenormalsAreZero, a => a.addsd(xmm0, xmm1), s => { s.SetDoubles(0, tiny, 0); s.SetDoubles(1, -0.0, 0); });
        var plain = Run(a => a.addsd(xmm0, xmm1), s => { s.SetDoubles(0, tiny, 0); s.SetDoubles(1, 1, 0); });
        Assert.Multiple(() =>
        {
            Assert.That(ftz.Quads(0).Low, Is.Zero);
            Assert.That(ftz.Cpu.Mxcsr & 0x3F, Is.EqualTo(MxcsrBits.Denormal | MxcsrBits.Underflow | MxcsrBits.Precision));
            Assert.That(daz.Quads(0).Low, Is.Zero); // +0 + -0 = +0, no DE
            Assert.That(daz.Cpu.Mxcsr & 0x3F, Is.Zero);
            Assert.That(plain.Cpu.Mxcsr & 0x3F, Is.EqualTo(MxcsrBits.Denormal | MxcsrBits.Precision));
        });
    }

    [Test]
    public void ComparePredicatesProduceMasks()
    {
        var m = Run(
            a => { a.cmppd(xmm0, xmm1, 1); a.cmpsd(xmm2, xmm3, 3); a.cmpps(xmm4, xmm5, 4); },
            s =>
            {
                s.SetDoubles(0, 1, 2);
                s.SetDoubles(1, 2, 1);
                s.SetQuads(2, QNaNA, 7);
                s.SetDoubles(3, 1, 0);
                s.SetSingles(4, 1, float.NaN, 3, 4);
                s.SetSingles(5, 1, 1, 2, 4);
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.Quads(0), Is.EqualTo((ulong.MaxValue, 0UL)));
            Assert.That(m.Quads(2), Is.EqualTo((ulong.MaxValue, 7UL)));
            Assert.That(m.Cpu.GetXmm(4).AsUInt32(), Is.EqualTo(Vector128.Create(0u, uint.MaxValue, uint.MaxValue, 0)));
            Assert.That(m.Cpu.Mxcsr & 0x3F, Is.Zero); // quiet predicates do not signal on QNaN
        });
    }

    [TestCase(1.0, 2.0, RFlags.CF)]
    [TestCase(2.0, 2.0, RFlags.ZF)]
    [TestCase(3.0, 2.0, 0UL)]
    [TestCase(double.NaN, 2.0, RFlags.ZF | RFlags.PF | RFlags.CF)]
    public void UcomisdSetsZfPfCfAndClearsTheRest(double a, double b, ulong expected)
    {
        var m = Run(x => x.ucomisd(xmm0, xmm1), s => { s.SetDoubles(0, a, 0); s.SetDoubles(1, b, 0); s.Cpu.Rflags = RFlags.Status; });
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.Rflags & RFlags.Status, Is.EqualTo(expected));
            Assert.That(m.Cpu.Mxcsr & MxcsrBits.Invalid, Is.Zero);
        });
    }

    [Test]
    public void ComisdSignalsOnAQuietNaN()
    {
        var m = Run(x => x.comisd(xmm0, xmm1), s => { s.SetQuads(0, QNaNA, 0); s.SetDoubles(1, 1, 0); });
        Assert.That(m.Cpu.Mxcsr & 0x3F, Is.EqualTo(MxcsrBits.Invalid));
    }

    [TestCase(0, 2L, -2L)]
    [TestCase(1, 2L, -3L)]
    [TestCase(2, 3L, -2L)]
    [TestCase(3, 2L, -2L)]
    public void Cvtsd2siRoundsByMxcsr(int rc, long positive, long negative)
    {
        var m = RunWithMxcsr(Rounding(rc), a => { a.cvtsd2si(rax, xmm0); a.cvtsd2si(ecx, xmm1); }, s => { s.SetDoubles(0, 2.5, 0); s.SetDoubles(1, -2.5, 0); });
        Assert.Multiple(() =>
        {
            Assert.That((long)m.Cpu.GetRegister(Gpr.Rax), Is.EqualTo(positive));
            Assert.That(m.Cpu.GetRegister(Gpr.Rcx), Is.EqualTo((ulong)(uint)(int)negative));
            Assert.That(m.Cpu.Mxcsr & 0x3F, Is.EqualTo(MxcsrBits.Precision));
        });
    }

    [Test]
    public void TruncatingConversionsAndTheIntegerIndefinite()
    {
        var m = Run(
            a => { a.cvttsd2si(eax, xmm0); a.cvttsd2si(rcx, xmm1); a.cvttss2si(edx, xmm2); a.cvttpd2dq(xmm3, xmm4); },
            s =>
            {
                s.SetDoubles(0, -2.9, 0);
                s.SetDoubles(1, 9.3e18, 0);
                s.SetSingles(2, float.NaN, 0, 0, 0);
                s.SetDoubles(4, 2147483647.9, -2147483649.0);
                s.SetQuads(3, ulong.MaxValue, ulong.MaxValue);
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.GetRegister(Gpr.Rax), Is.EqualTo(0xFFFF_FFFEUL));
            Assert.That(m.Cpu.GetRegister(Gpr.Rcx), Is.EqualTo(0x8000_0000_0000_0000UL));
            Assert.That(m.Cpu.GetRegister(Gpr.Rdx), Is.EqualTo(0x8000_0000UL));
            Assert.That(m.Quads(3), Is.EqualTo((0x8000_0000_7FFF_FFFFUL, 0UL)));
            Assert.That(m.Cpu.Mxcsr & 0x3F, Is.EqualTo(MxcsrBits.Invalid | MxcsrBits.Precision));
        });
    }

    [TestCase(0, 9223372036854775808.0)]
    [TestCase(3, 9223372036854774784.0)]
    public void Cvtsi2sdOfA64BitIntegerRoundsByMxcsr(int rc, double expected)
    {
        var m = RunWithMxcsr(Rounding(rc), a => a.cvtsi2sd(xmm0, rax), s => { s.SetDoubles(0, 0, 42); s.Cpu.SetRegister(Gpr.Rax, long.MaxValue); });
        Assert.Multiple(() =>
        {
            Assert.That(m.LowDouble(0), Is.EqualTo(expected));
            Assert.That(m.Quads(0).High, Is.EqualTo(BitConverter.DoubleToUInt64Bits(42)));
            Assert.That(m.Cpu.Mxcsr & 0x3F, Is.EqualTo(MxcsrBits.Precision));
        });
    }

    [Test]
    public void PrecisionConversions()
    {
        var m = Run(
            a => { a.cvtsd2ss(xmm0, xmm1); a.cvtss2sd(xmm2, xmm3); a.cvtps2pd(xmm4, xmm5); a.cvtpd2ps(xmm6, xmm7); a.cvtdq2ps(xmm8, xmm9); },
            s =>
            {
                s.SetSingles(0, 0, 5, 6, 7);
                s.SetDoubles(1, 0.1, 0);
                s.SetSingles(3, 0.5f, 0, 0, 0);
                s.SetSingles(5, 1.5f, -2f, 99, 99);
                s.SetDoubles(7, 1e40, -0.25);
                s.Cpu.SetXmm(9, Vector128.Create(16777217, -3, 0, int.MinValue).AsByte());
            });
        Assert.Multiple(() =>
        {
            Assert.That(m.Single(0, 0), Is.EqualTo(0.1f));
            Assert.That(m.Single(0, 1), Is.EqualTo(5f));
            Assert.That(m.LowDouble(2), Is.EqualTo(0.5));
            Assert.That(m.Cpu.GetXmm(4).AsDouble(), Is.EqualTo(Vector128.Create(1.5, -2.0)));
            Assert.That(m.Single(6, 0), Is.EqualTo(float.PositiveInfinity));
            Assert.That(m.Single(6, 1), Is.EqualTo(-0.25f));
            Assert.That(m.Quads(6).High, Is.Zero);
            Assert.That(m.Single(8, 0), Is.EqualTo(16777216f)); // 2^24 + 1 rounds to even
            Assert.That(m.Single(8, 3), Is.EqualTo(-2147483648f));
            Assert.That(m.Cpu.Mxcsr & 0x3F, Is.EqualTo(MxcsrBits.Overflow | MxcsrBits.Precision));
        });
    }

    [Test]
    public void AnUnmaskedExceptionRaisesXfAndLeavesTheDestination()
    {
        uint unmaskedPrecision = MxcsrBits.Default & ~(MxcsrBits.Precision << MxcsrBits.MaskShift);
        var m = RunWithMxcsr(unmaskedPrecision, a => a.divsd(xmm0, xmm1), s => { s.SetDoubles(0, 1, 0); s.SetDoubles(1, 3, 0); });
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.LastFault?.Vector, Is.EqualTo(ExceptionVector.SimdFloatingPoint));
            Assert.That(m.LowDouble(0), Is.EqualTo(1));
            Assert.That(m.Cpu.Mxcsr & MxcsrBits.Precision, Is.EqualTo(MxcsrBits.Precision));
            Assert.That(m.Cpu.Rip, Is.EqualTo(Code));
        });
    }
}
