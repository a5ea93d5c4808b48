using Iced.Intel;
using KmlSim.Execution;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Execution;

/// <summary>
/// The x87 transcendental instructions against results recorded on the host CPU (an AMD EPYC):
/// Guests/x87/x87_transcendental.c runs each instruction natively on every special operand (and pair), on
/// random arguments across the domain (tiny, near 1, powers of two, near multiples of π/2, |x| ≥ 2^63), in
/// every rounding and precision control, and x87-transcendental.txt holds ST(0), ST(1) and the status word.
/// <para>
/// Tolerance: a finite non-zero result may differ from the host's by 1 ulp (adjacent encodings), and C1 of
/// an inexact result (whether its rounding went up) may differ. Why: the simulator rounds the exact value
/// correctly, while the hardware's transcendentals are not correctly rounded (measured against 600-bit
/// evaluations: up to 0.53 ulp to nearest, 1.03 ulp in the directed modes), so the two can land on
/// neighbouring encodings, or on the same one from opposite sides. Everything else must match bit for bit:
/// special results (zeros, infinities, NaNs, the C2 out-of-range case), the exception flags (PE, UE, OE,
/// DE, ZE, IE, SF), C0, C2, C3 and the stack.
/// </para>
/// </summary>
public class X87TranscendentalReferenceTests
{
    private const ulong Block = X87ReferenceTable.Block;
    private const ushort C1 = 1 << 9;
    private const ushort Precision = 1 << 5;

    private static readonly Dictionary<string, Action<Assembler>> Operations = new()
    {
        ["f2xm1"] = a => a.f2xm1(),
        ["fyl2x"] = a => a.fyl2x(),
        ["fyl2xp1"] = a => a.fyl2xp1(),
        ["fpatan"] = a => a.fpatan(),
        ["fsin"] = a => a.fsin(),
        ["fcos"] = a => a.fcos(),
        ["fsincos"] = a => a.fsincos(),
        ["fptan"] = a => a.fptan(),
    };

    private static IEnumerable<TestCaseData> Cases() => X87ReferenceTable.Cases("x87-transcendental.txt", "X87Transcendental", 4);

    [TestCaseSource(nameof(Cases))]
    public void MatchesTheHostCpuWithinOneUlp(string line)
    {
        string[] f = line.Split(' ');
        ushort Hex16(int i) => X87ReferenceTable.Hex16(f, i);
        ulong Hex64(int i) => X87ReferenceTable.Hex64(f, i);
        SnippetMachine m = X87ReferenceTable.Machine(f, Operations[f[0]], storeSecond: true);

        Assert.That(m.Run(8), Is.EqualTo(StopReason.InstructionLimit), () => m.Cpu.LastFault?.Message ?? "");
        (ushort se, ulong sig)[] actual = [Read80(m, Block + 64), Read80(m, Block + 80)];
        (ushort se, ulong sig)[] expected = [(Hex16(6), Hex64(7)), (Hex16(8), Hex64(9))];
        ushort actualStatus = (ushort)(BitConverter.ToUInt16(m.Peek(Block + 48, 2)) & 0x477F);
        ushort expectedStatus = Hex16(10);

        bool neighbours = false;
        for (int i = 0; i < 2; i++)
        {
            if (actual[i] != expected[i])
            {
                Assert.That(UlpDistance(actual[i], expected[i]), Is.EqualTo(1), () => $"ST({i}): {Show(actual[i])} vs host {Show(expected[i])}; {line}");
                neighbours = true;
            }
        }

        ushort ignored = neighbours || (expectedStatus & Precision) != 0 ? C1 : (ushort)0;
        Assert.That($"{actualStatus & ~ignored:X4}", Is.EqualTo($"{expectedStatus & ~ignored:X4}"), () => $"status word; {line}");
    }

    private static (ushort, ulong) Read80(SnippetMachine m, ulong address)
    {
        byte[] bytes = m.Peek(address, 10);
        return (BitConverter.ToUInt16(bytes, 8), BitConverter.ToUInt64(bytes, 0));
    }

    private static string Show((ushort se, ulong sig) v) => $"{v.se:X4}:{v.sig:X16}";

    /// <summary>
    /// How many representable values apart two finite non-zero values of one sign are (the encoding read as
    /// an integer is monotonic in the magnitude); anything else is "far" (int.MaxValue).
    /// </summary>
    private static long UlpDistance((ushort se, ulong sig) a, (ushort se, ulong sig) b)
    {
        static bool Finite((ushort se, ulong sig) v) => (v.se & 0x7FFF) != 0x7FFF && ((v.se & 0x7FFF) != 0 || v.sig != 0);
        if (!Finite(a) || !Finite(b) || (a.se >> 15) != (b.se >> 15))
        {
            return int.MaxValue;
        }

        // exponent × 2^63 + fraction for normals; a denormal (exponent 0) is its significand, which continues
        // that sequence below the smallest normal (exponent 1, ordinal 2^63).
        static Int128 Ordinal((ushort se, ulong sig) v) =>
            (v.se & 0x7FFF) == 0 ? v.sig : ((Int128)(v.se & 0x7FFF) << 63) + (v.sig & long.MaxValue);
        return (long)Int128.Abs(Ordinal(a) - Ordinal(b));
    }
}
