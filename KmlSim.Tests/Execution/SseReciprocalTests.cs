using System.Runtime.Intrinsics;
using KmlSim.Execution;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Execution;

/// <summary>
/// RCPSS/RCPPS/RSQRTSS/RSQRTPS against the manuals' bound (AMD64 APM vol. 4: relative error at most
/// 1.5 x 2^-12) rather than the host: every processor generation answers from its own table, so a Zen's bits
/// are not a K8's. Special values follow the manuals: zeros give infinities of their sign, infinity gives zero,
/// a negative RSQRT source the QNaN indefinite.
/// </summary>
public class SseReciprocalTests
{
    private static readonly double Bound = 1.5 * Math.Pow(2, -12);

    private static Vector128<float> Run(Action<Iced.Intel.Assembler> instruction, Vector128<float> source)
    {
        var m = new SnippetMachine();
        m.LoadCode(0x400000, instruction);
        m.Cpu.SetXmm(1, source.AsByte());
        Assert.That(m.Run(1), Is.EqualTo(StopReason.InstructionLimit));
        return m.Cpu.GetXmm(0).AsSingle();
    }

    [Test]
    public void PackedResultsAreWithinTheBound([Range(0, 49)] int seed)
    {
        var rng = new Random(seed);
        float[] inputs = [.. Enumerable.Range(0, 4).Select(_ => (float)Math.Pow(2, (rng.NextDouble() * 200) - 100) * (1 + (float)rng.NextDouble()))];
        Vector128<float> source = Vector128.Create(inputs);
        Vector128<float> rcp = Run(a => a.rcpps(xmm0, xmm1), source);
        Vector128<float> rsqrt = Run(a => a.rsqrtps(xmm0, xmm1), source);
        for (int i = 0; i < 4; i++)
        {
            Assert.That(Math.Abs((rcp[i] * (double)inputs[i]) - 1), Is.LessThanOrEqualTo(Bound), $"rcp({inputs[i]})");
            Assert.That(Math.Abs((rsqrt[i] * Math.Sqrt(inputs[i])) - 1), Is.LessThanOrEqualTo(Bound), $"rsqrt({inputs[i]})");
        }
    }

    [Test]
    public void SpecialValuesAndTheUntouchedUpperLanes()
    {
        Vector128<float> source = Vector128.Create(0f, -0f, float.PositiveInfinity, -4f);
        Vector128<float> rcp = Run(a => a.rcpps(xmm0, xmm1), source);
        Vector128<float> rsqrt = Run(a => a.rsqrtps(xmm0, xmm1), source);
        Assert.Multiple(() =>
        {
            Assert.That(rcp[0], Is.EqualTo(float.PositiveInfinity));
            Assert.That(rcp[1], Is.EqualTo(float.NegativeInfinity));
            Assert.That(rcp[2], Is.EqualTo(0f));
            Assert.That(rsqrt[1], Is.EqualTo(float.NegativeInfinity));
            Assert.That(BitConverter.SingleToUInt32Bits(rsqrt[3]), Is.EqualTo(0xFFC0_0000), "negative: the QNaN indefinite");
        });

        var m = new SnippetMachine();
        m.LoadCode(0x400000, a => a.rcpss(xmm0, xmm1));
        m.Cpu.SetXmm(0, Vector128.Create(9f, 8f, 7f, 6f).AsByte());
        m.Cpu.SetXmm(1, Vector128.Create(4f, 3f, 2f, 1f).AsByte());
        m.Run(1);
        Vector128<float> result = m.Cpu.GetXmm(0).AsSingle();
        Assert.That((result[0], result[1], result[2], result[3]), Is.EqualTo((0.25f, 8f, 7f, 6f)));
    }
}
