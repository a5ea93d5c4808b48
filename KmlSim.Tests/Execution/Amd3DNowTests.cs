using Iced.Intel;
using KmlSim.Execution;
using KmlSim.Isa;
using KmlSim.Memory;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Execution;

/// <summary>
/// 3DNow! and extended 3DNow! against the AMD manuals (the host, a Zen, has neither): the 3DNow! Technology
/// Manual 21928G and the AMD64 APM vol. 5 instruction pages. Their rules: source denormals are zeros, results
/// below 2^-126 are zeros, overflows saturate to the largest normal, AMD rounds to nearest, PF2ID and PI2FD
/// truncate, PFRCP/PFRSQRT approximate to at least 14/15 bits and the PFRCPIT1/PFRSQIT1/PFRCPIT2 sequences
/// give 24-bit results. Each case loads MM0 (destination) and MM1 (source), runs the instructions, stores
/// the x87 environment, then MM0.
/// </summary>
public class Amd3DNowTests
{
    private const ulong CodeAddress = 0x400000;
    private const ulong Data = 0x10000;
    private const uint MaxNormal = 0x7F7F_FFFF;

    private static ulong Pair(float low, float high) => BitConverter.SingleToUInt32Bits(low) | ((ulong)BitConverter.SingleToUInt32Bits(high) << 32);

    private static ulong PairBits(uint low, uint high) => low | ((ulong)high << 32);

    private static float Low(ulong pair) => BitConverter.UInt32BitsToSingle((uint)pair);

    private static float High(ulong pair) => BitConverter.UInt32BitsToSingle((uint)(pair >> 32));

    private static SnippetMachine RunOn(ulong destination, ulong source, params Action<Assembler>[] operations)
    {
        var m = new SnippetMachine();
        int count = 0;
        m.LoadCode(CodeAddress, a =>
        {
            a.movq(mm0, __qword_ptr[rsi]);
            a.movq(mm1, __qword_ptr[rsi + 8]);
            foreach (Action<Assembler> operation in operations)
            {
                operation(a);
            }

            a.fnstenv(__dword_ptr[rsi + 32]);
            a.movq(__qword_ptr[rsi + 16], mm0);
            count = a.Instructions.Count;
        });
        m.Map(Data, 0x1000, PageFlags.User | PageFlags.Writable);
        m.Cpu.SetRegister(Gpr.Rsi, Data);
        m.Poke(Data, BitConverter.GetBytes(destination));
        m.Poke(Data + 8, BitConverter.GetBytes(source));
        Assert.That(m.Run(count), Is.EqualTo(StopReason.InstructionLimit), () => m.Cpu.LastFault?.Message ?? "");
        return m;
    }

    private static ulong Run(ulong destination, ulong source, params Action<Assembler>[] operations) =>
        BitConverter.ToUInt64(RunOn(destination, source, operations).Peek(Data + 16, 8));

    [Test]
    public void PfaddAddsBothLanesRoundingToNearest()
    {
        Assert.That(Run(Pair(1.5f, -2f), Pair(2.25f, 0.5f), a => a.pfadd(mm0, mm1)), Is.EqualTo(Pair(3.75f, -1.5f)));
        Assert.That(Run(Pair(1f, 0), Pair(MathF.Pow(2, -24) * 1.5f, 0), a => a.pfadd(mm0, mm1)), Is.EqualTo(Pair(1f + MathF.Pow(2, -23), 0)));
    }

    [Test]
    public void DenormalSourcesCountAsZero() =>
        Assert.That(Run(PairBits(0x0000_0001, 0x8040_0000), Pair(0, 0), a => a.pfadd(mm0, mm1)), Is.EqualTo(PairBits(0, 0)));

    [Test]
    public void OverflowSaturatesAndUnderflowFlushes() =>
        Assert.That(
            Run(Pair(MathF.Pow(2, 100), -MathF.Pow(2, -100)), Pair(MathF.Pow(2, 100), MathF.Pow(2, -100)), a => a.pfmul(mm0, mm1)),
            Is.EqualTo(PairBits(MaxNormal, 0x8000_0000)));

    [Test]
    public void SubtractionsAndAccumulations()
    {
        ulong d = Pair(10f, 4f), s = Pair(1f, 2f);
        Assert.That(Run(d, s, a => a.pfsub(mm0, mm1)), Is.EqualTo(Pair(9f, 2f)));
        Assert.That(Run(d, s, a => a.pfsubr(mm0, mm1)), Is.EqualTo(Pair(-9f, -2f)));
        Assert.That(Run(d, s, a => a.pfacc(mm0, mm1)), Is.EqualTo(Pair(14f, 3f)));
        Assert.That(Run(d, s, a => a.pfnacc(mm0, mm1)), Is.EqualTo(Pair(6f, -1f)));
        Assert.That(Run(d, s, a => a.pfpnacc(mm0, mm1)), Is.EqualTo(Pair(6f, 3f)));
    }

    [Test]
    public void ComparesMinimaAndMaxima()
    {
        ulong d = Pair(1f, 5f), s = Pair(1f, 2f);
        Assert.That(Run(d, s, a => a.pfcmpeq(mm0, mm1)), Is.EqualTo(PairBits(0xFFFF_FFFF, 0)));
        Assert.That(Run(d, s, a => a.pfcmpgt(mm0, mm1)), Is.EqualTo(PairBits(0, 0xFFFF_FFFF)));
        Assert.That(Run(d, s, a => a.pfcmpge(mm0, mm1)), Is.EqualTo(PairBits(0xFFFF_FFFF, 0xFFFF_FFFF)));
        Assert.That(Run(Pair(-3f, 5f), Pair(2f, 2f), a => a.pfmin(mm0, mm1)), Is.EqualTo(Pair(-3f, 2f)));
        Assert.That(Run(Pair(-3f, 5f), Pair(2f, 2f), a => a.pfmax(mm0, mm1)), Is.EqualTo(Pair(2f, 5f)));
    }

    [Test]
    public void Pf2idTruncatesAndSaturates()
    {
        Assert.That(Run(0, Pair(3.9f, -3.9f), a => a.pf2id(mm0, mm1)), Is.EqualTo(PairBits(3, unchecked((uint)-3))));
        Assert.That(Run(0, Pair(3e9f, -3e9f), a => a.pf2id(mm0, mm1)), Is.EqualTo(PairBits(0x7FFF_FFFF, 0x8000_0000)));
    }

    [Test]
    public void Pf2iwSaturatesToWordsSignExtended() =>
        Assert.That(Run(0, Pair(40000f, -40000.5f), a => a.pf2iw(mm0, mm1)), Is.EqualTo(PairBits(0x7FFF, 0xFFFF_8000)));

    [Test]
    public void Pi2fdTruncatesWhatDoesNotFit()
    {
        // 2^24 + 3 lies between the singles 2^24 + 2 and 2^24 + 4: round to nearest would give the latter.
        Assert.That(Run(0, PairBits(16777219, unchecked((uint)-16777219)), a => a.pi2fd(mm0, mm1)), Is.EqualTo(Pair(16777218f, -16777218f)));
    }

    [Test]
    public void Pi2fwConvertsTheLowWordOfEachDword() =>
        Assert.That(Run(0, PairBits(0x1234_FFFF, 0x0000_0100), a => a.pi2fw(mm0, mm1)), Is.EqualTo(Pair(-1f, 256f)));

    [Test]
    public void ReciprocalApproximationsMeetTheirPrecisionAndTheSpecialCases()
    {
        ulong rcp = Run(0, Pair(3f, 99f), a => a.pfrcp(mm0, mm1));
        Assert.That(Low(rcp), Is.EqualTo(1f / 3).Within(Math.Pow(2, -14) / 3), "at least 14 bits, from the low lane");
        Assert.That(High(rcp), Is.EqualTo(Low(rcp)), "in both lanes");
        Assert.That(Run(0, Pair(0f, 0f), a => a.pfrcp(mm0, mm1)), Is.EqualTo(PairBits(MaxNormal, MaxNormal)));
        Assert.That(Run(0, Pair(MathF.Pow(2, 127), 0f), a => a.pfrcp(mm0, mm1)), Is.EqualTo(0UL), "PFRCP(x) is 0 for x >= 2^126");
        ulong rsqrt = Run(0, Pair(-4f, 0f), a => a.pfrsqrt(mm0, mm1));
        Assert.That(Low(rsqrt), Is.EqualTo(-0.5f).Within(Math.Pow(2, -15) / 2), "the source's sign, at least 15 bits");
    }

    /// <summary>The documented division and square-root sequences give 24-bit results (within one ulp of the rounded value).</summary>
    [Test]
    public void NewtonRaphsonSequencesReachFullPrecision()
    {
        // X0 = PFRCP(b); X1 = PFRCPIT1(b, X0); X2 = PFRCPIT2(X1, X0)
        ulong reciprocal = Run(Pair(3f, 7f), 0, a =>
        {
            a.pfrcp(mm1, mm0);
            a.pfrcpit1(mm0, mm1);
            a.pfrcpit2(mm0, mm1);
        });
        Assert.That(Math.Abs(BitConverter.SingleToInt32Bits(Low(reciprocal)) - BitConverter.SingleToInt32Bits(1f / 3)), Is.LessThanOrEqualTo(1));

        // X0 = PFRSQRT(b); X1 = PFMUL(X0, X0); X2 = PFRSQIT1(b, X1); X3 = PFRCPIT2(X2, X0)
        ulong rsqrt = Run(Pair(2f, 2f), 0, a =>
        {
            a.pfrsqrt(mm1, mm0);
            a.movq(mm2, mm1);
            a.pfmul(mm2, mm1);
            a.pfrsqit1(mm0, mm2);
            a.pfrcpit2(mm0, mm1);
        });
        Assert.That(Math.Abs(BitConverter.SingleToInt32Bits(Low(rsqrt)) - BitConverter.SingleToInt32Bits(1f / MathF.Sqrt(2))), Is.LessThanOrEqualTo(1));
    }

    [Test]
    public void PmulhrwRoundsTheHighWord() =>
        Assert.That(
            Run(0x7FFF_8000_4000_0001, 0x7FFF_8000_4000_7FFF, a => a.pmulhrw(mm0, mm1)),
            Is.EqualTo(0x3FFF_4000_1000_0000UL)); // (1*7FFF + 8000) >> 16 = 0; 4000*4000 -> 1000; 8000*8000 -> 4000; 7FFF*7FFF -> 3FFF

    [Test]
    public void PswapdAndPavgusb()
    {
        Assert.That(Run(0, 0x1111_2222_3333_4444, a => a.pswapd(mm0, mm1)), Is.EqualTo(0x3333_4444_1111_2222UL));
        Assert.That(Run(0x00FF_0102_0000_00FE, 0x00FF_0203_0001_00FF, a => a.pavgusb(mm0, mm1)), Is.EqualTo(0x00FF_0203_0001_00FFUL));
    }

    /// <summary>A 3DNow! instruction is an MMX instruction for the x87 state: TOP = 0, all tags valid; FEMMS empties them.</summary>
    [Test]
    public void ThreeDNowSharesTheMmxStateAndFemmsEmptiesIt()
    {
        SnippetMachine m = RunOn(Pair(1f, 2f), Pair(1f, 2f), a => a.pfadd(mm0, mm1));
        Assert.That((BitConverter.ToUInt16(m.Peek(Data + 32 + 4, 2)) >> 11) & 7, Is.Zero, "TOP");
        // FNSTENV derives each tag from the contents: MM0 and MM1 were written (all-ones exponent: special, 10),
        // R2-R7 still hold the reset zeros (zero, 01).
        Assert.That(BitConverter.ToUInt16(m.Peek(Data + 32 + 8, 2)), Is.EqualTo(0b01_01_01_01_01_01_10_10));
        m = RunOn(0, 0, a => a.pfadd(mm0, mm1), a => a.femms());
        Assert.That(BitConverter.ToUInt16(m.Peek(Data + 32 + 8, 2)), Is.EqualTo(0xFFFF), "FEMMS tags all empty");
    }
}
