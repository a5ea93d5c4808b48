using System.Text;
using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;

namespace KmlSim.Tests.Native;

/// <summary>
/// Runs generated cases natively and in the simulator and compares every GPR (but RSP), the defined status
/// flags, MXCSR, XMM0-15, the data buffer and the simulator's stop (one retired instruction, RIP after it). A
/// failure names the case number and seed (so it reproduces), the disassembled instruction, the inputs
/// and both outputs.
/// </summary>
internal sealed class DifferentialTester : IDisposable
{
    /// <summary>Two pages: memory operands point at the middle so negative offsets (BT with a register index) stay inside.</summary>
    public const int BufferLength = 8192;

    private const int MaxReportedFailures = 3;

    private readonly NativeExecutor native = new(BufferLength);
    private readonly SimulatorExecutor simulator;

    public DifferentialTester()
    {
        simulator = new SimulatorExecutor(native.BufferAddress, BufferLength);
    }

    /// <summary>Generates and compares <paramref name="cases"/> cases from a <see cref="Random"/> seeded with <paramref name="seed"/>.</summary>
    public void Run(int cases, int seed, Func<CaseContext, DifferentialCase> generate)
    {
        var rng = new Random(seed);
        var report = new StringBuilder();
        int failures = 0;
        for (int i = 0; i < cases; i++)
        {
            DifferentialCase c = generate(new CaseContext(rng, native.BufferAddress, BufferLength));
            string? mismatch = Compare(c);
            if (mismatch is not null && failures++ < MaxReportedFailures)
            {
                report.AppendLine($"case {i} of seed {seed}: {mismatch}");
            }
        }

        Assert.That(failures, Is.Zero, $"{failures} of {cases} cases differ from the host CPU:\n{report}");
    }

    /// <summary>Runs a case in the simulator only (for inputs that fault, which the host cannot survive).</summary>
    public (CpuState State, StopReason Stop, GuestFaultException? Fault, ulong Rip) Simulate(byte[] code, CpuState input) =>
        simulator.Run(code, input);

    /// <summary>A context for building a case by hand (seeded like <see cref="Run"/>).</summary>
    public CaseContext Context(int seed) => new(new Random(seed), native.BufferAddress, BufferLength);

    private string? Compare(DifferentialCase c)
    {
        CpuState expected = native.Run(c.NativeCode ?? c.Code, c.Input);
        var (actual, stop, fault, rip) = simulator.Run(c.Code, c.Input, c.InstructionCount);
        var problems = new List<string>();
        if (stop != StopReason.InstructionLimit)
        {
            problems.Add($"simulator stopped with {stop} {fault?.Message}");
        }
        else if (rip != SimulatorExecutor.CodeAddress + (ulong)c.Code.Length)
        {
            problems.Add($"simulator RIP 0x{rip:X}");
        }

        for (int r = 0; r < 16; r++)
        {
            if (r != CpuState.RspIndex && expected.Gpr[r] != actual.Gpr[r])
            {
                problems.Add($"GPR {r}");
            }
        }

        if (((expected.Rflags ^ actual.Rflags) & c.DefinedFlags) != 0)
        {
            problems.Add("flags");
        }

        if (expected.Mxcsr != actual.Mxcsr)
        {
            problems.Add("mxcsr");
        }

        for (int x = 0; x < 16; x++)
        {
            if (expected.Xmm[x] != actual.Xmm[x])
            {
                problems.Add($"xmm{x}");
            }
        }

        string memory = MemoryDifference(expected.Memory, actual.Memory);
        if (memory.Length > 0)
        {
            problems.Add("memory");
        }

        if (problems.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        text.AppendLine($"{InstructionEncoding.Disassemble(c.Code)} differs in {string.Join(", ", problems)}");
        if (c.NativeCode is not null)
        {
            text.AppendLine($"(the host ran {InstructionEncoding.Disassemble(c.NativeCode)})");
        }

        text.AppendLine($"compared flags: {CpuState.FlagLetters(c.DefinedFlags)} (upper case = compared)");
        text.AppendLine("input:").Append(c.Input.Describe());
        text.AppendLine("native:").Append(expected.Describe(c.Input));
        text.AppendLine("simulator:").Append(actual.Describe(expected));
        text.Append(memory);
        return text.ToString();
    }

    private static string MemoryDifference(byte[] expected, byte[] actual)
    {
        var text = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < expected.Length && shown < 16; i++)
        {
            if (expected[i] != actual[i])
            {
                text.AppendLine($"  buffer+0x{i:X}: native 0x{expected[i]:X2}, simulator 0x{actual[i]:X2}");
                shown++;
            }
        }

        return text.ToString();
    }

    public void Dispose() => native.Dispose();
}
