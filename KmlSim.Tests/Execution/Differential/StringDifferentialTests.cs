using Iced.Intel;
using KmlSim.Isa;
using KmlSim.Tests.Native;
using static KmlSim.Tests.Native.InstructionEncoding;

namespace KmlSim.Tests.Execution.Differential;

/// <summary>
/// MOVS, STOS, LODS, CMPS, SCAS in every size, with and without REP/REPE/REPNE, in both directions, against
/// the host CPU: overlapping and disjoint source/destination, counts up to 80 elements, and buffers made
/// mostly equal so that REPE/REPNE stop at interesting places.
/// </summary>
[Category("Differential")]
public class StringDifferentialTests : DifferentialFixture
{
    private static readonly string[] Operations = ["movs", "stos", "lods", "cmps", "scas"];

    [Test]
    public void StringInstructionsMatchTheHost() => Tester.Run(4000, 601, ctx =>
    {
        CpuState state = ctx.NewState();
        string operation = Operations[ctx.Rng.Next(Operations.Length)];
        int size = ctx.Size();
        bool compares = operation is "cmps" or "scas";
        int prefix = ctx.Rng.Next(compares ? 3 : 2); // 0 none, 1 REP/REPE, 2 REPNE
        bool backwards = ctx.Rng.Next(2) == 0;
        int count = ctx.Rng.Next(4) == 0 ? 0 : ctx.Rng.Next(1, 81);

        // Keep every element inside the buffer whichever the direction: start in the middle half.
        int source = 2048 + ctx.Rng.Next(4096 - 640);
        int destination = ctx.Rng.Next(2) == 0 ? source + ctx.Rng.Next(-16, 17) : 2048 + ctx.Rng.Next(4096 - 640);
        if (compares)
        {
            // Make the destination mostly a copy of the source (CMPS) or mostly one value (SCAS) with a few changes.
            for (int i = 0; i < 640; i++)
            {
                state.Memory[destination + i - 320] = operation == "cmps" ? state.Memory[source + i - 320] : (byte)0x5A;
            }

            for (int i = ctx.Rng.Next(4); i > 0; i--)
            {
                state.Memory[destination + ctx.Rng.Next(-320, 320)] ^= (byte)(1 << ctx.Rng.Next(8));
            }

            state.Gpr[(int)Gpr.Rax] = ctx.Rng.Next(2) == 0 ? 0x5A5A_5A5A_5A5A_5A5AUL : state.Gpr[(int)Gpr.Rax];
        }

        state.Gpr[(int)Gpr.Rsi] = ctx.Address(source);
        state.Gpr[(int)Gpr.Rdi] = ctx.Address(destination);
        state.Gpr[(int)Gpr.Rcx] = prefix == 0 ? state.Gpr[(int)Gpr.Rcx] : (ulong)count;
        if (backwards)
        {
            state.Rflags |= RFlags.DF;
        }

        byte[] code = Assemble(a => Emit(a, operation, size, prefix));
        return new DifferentialCase { Code = code, Input = state, DefinedFlags = RFlags.Status | RFlags.DF };
    });

    private static void Emit(Assembler a, string operation, int size, int prefix)
    {
        Assembler p = prefix switch
        {
            0 => a,
            1 => operation is "cmps" or "scas" ? a.repe : a.rep,
            _ => a.repne,
        };
        switch (operation, size)
        {
            case ("movs", 1): p.movsb(); break;
            case ("movs", 2): p.movsw(); break;
            case ("movs", 4): p.movsd(); break;
            case ("movs", _): p.movsq(); break;
            case ("stos", 1): p.stosb(); break;
            case ("stos", 2): p.stosw(); break;
            case ("stos", 4): p.stosd(); break;
            case ("stos", _): p.stosq(); break;
            case ("lods", 1): p.lodsb(); break;
            case ("lods", 2): p.lodsw(); break;
            case ("lods", 4): p.lodsd(); break;
            case ("lods", _): p.lodsq(); break;
            case ("cmps", 1): p.cmpsb(); break;
            case ("cmps", 2): p.cmpsw(); break;
            case ("cmps", 4): p.cmpsd(); break;
            case ("cmps", _): p.cmpsq(); break;
            case ("scas", 1): p.scasb(); break;
            case ("scas", 2): p.scasw(); break;
            case ("scas", 4): p.scasd(); break;
            default: p.scasq(); break;
        }
    }
}
