using Iced.Intel;
using KmlSim.Memory;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Execution;

/// <summary>
/// The tables of x87 results recorded on the host CPU (Guests/x87/*.txt, one case a line: operation,
/// control word, ST(0) and ST(1) as sign-exponent and significand in hex, then the recorded results), and
/// the snippet that replays one line: FNINIT, FLDCW, the two operands loaded, the operation, FNSTSW, and
/// ST(0) (and, if asked, ST(1)) stored.
/// </summary>
internal static class X87ReferenceTable
{
    /// <summary>The data block: control word at +0, operands at +16 and +32, status word at +48, results at +64 and +80.</summary>
    public const ulong Block = 0x10000;

    private const ulong Code = 0x400000;

    /// <summary>One test case a line of Guests/x87/<paramref name="file"/>, named prefix_line_operation.</summary>
    public static IEnumerable<TestCaseData> Cases(string file, string prefix, int lineDigits)
    {
        string path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Guests", "x87", file);
        int line = 0;
        foreach (string text in File.ReadLines(path))
        {
            line++;
            yield return new TestCaseData(text).SetName($"{prefix}_{line.ToString($"D{lineDigits}")}_{text.Split(' ')[0]}");
        }
    }

    /// <summary>Field <paramref name="index"/> of a line, as 16-bit hex.</summary>
    public static ushort Hex16(string[] fields, int index) => Convert.ToUInt16(fields[index], 16);

    /// <summary>Field <paramref name="index"/> of a line, as 64-bit hex.</summary>
    public static ulong Hex64(string[] fields, int index) => Convert.ToUInt64(fields[index], 16);

    /// <summary>
    /// A machine loaded with the line's control word and operands and the replay snippet around
    /// <paramref name="operation"/>; it runs 6 instructions plus the operation's, plus one if
    /// <paramref name="storeSecond"/>.
    /// </summary>
    public static SnippetMachine Machine(string[] fields, Action<Assembler> operation, bool storeSecond)
    {
        var m = new SnippetMachine();
        m.LoadCode(Code, a =>
        {
            a.fninit();
            a.fldcw(__word_ptr[rsi]);
            a.fld(__tword_ptr[rsi + 32]);
            a.fld(__tword_ptr[rsi + 16]);
            operation(a);
            a.fnstsw(__word_ptr[rsi + 48]);
            a.fstp(__tword_ptr[rsi + 64]);
            if (storeSecond)
            {
                a.fstp(__tword_ptr[rsi + 80]);
            }
        });
        m.Map(Block, 0x1000, PageFlags.User | PageFlags.Writable);
        m.Poke(Block, BitConverter.GetBytes(Hex16(fields, 1)));
        m.Poke(Block + 16, [.. BitConverter.GetBytes(Hex64(fields, 3)), .. BitConverter.GetBytes(Hex16(fields, 2))]);
        m.Poke(Block + 32, [.. BitConverter.GetBytes(Hex64(fields, 5)), .. BitConverter.GetBytes(Hex16(fields, 4))]);
        m.Cpu.SetRegister(Isa.Gpr.Rsi, Block);
        return m;
    }
}
