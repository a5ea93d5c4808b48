using System.Runtime.Intrinsics;
using KmlSim.Isa;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Native;

/// <summary>The native side of the harness on its own: values round-trip, and a known instruction gives the manual's answer.</summary>
[Category("Differential")]
public class NativeExecutorTests
{
    /// <summary>ADD of all-ones and one: zero with CF, ZF, AF, PF set (AMD64 APM vol. 3, ADD); everything else untouched.</summary>
    [Test]
    public void AddRunsOnTheHostAndEverythingElseRoundTrips()
    {
        using var native = new NativeExecutor(4096);
        var input = new CpuState(4096) { Rflags = RFlags.OF | RFlags.SF };
        for (int i = 0; i < 16; i++)
        {
            input.Gpr[i] = 0x1111_1111_1111_1111UL * (ulong)i;
            input.Xmm[i] = Vector128.Create((ulong)i, ~(ulong)i).AsByte();
        }

        input.Gpr[0] = ulong.MaxValue;
        input.Gpr[3] = 1;
        new Random(7).NextBytes(input.Memory);

        CpuState output = native.Run(InstructionEncoding.Assemble(a => a.add(rax, rbx)), input);

        Assert.Multiple(() =>
        {
            Assert.That(output.Gpr[0], Is.Zero);
            Assert.That(output.Gpr[1..], Is.EqualTo(input.Gpr[1..]));
            Assert.That(output.Rflags & RFlags.Status, Is.EqualTo(RFlags.CF | RFlags.ZF | RFlags.AF | RFlags.PF));
            Assert.That(output.Xmm, Is.EqualTo(input.Xmm));
            Assert.That(output.Memory, Is.EqualTo(input.Memory));
        });
    }

    /// <summary>A memory operand through a base register reaches the shared buffer.</summary>
    [Test]
    public void MemoryOperandsReachTheBuffer()
    {
        using var native = new NativeExecutor(4096);
        var input = new CpuState(4096);
        input.Gpr[6] = native.BufferAddress + 8; // RSI
        input.WriteMemory(8, 8, 0x0123_4567_89AB_CDEFUL);

        CpuState output = native.Run(InstructionEncoding.Assemble(a => a.not(__qword_ptr[rsi])), input);

        Assert.That(output.ReadMemory(8, 8), Is.EqualTo(~0x0123_4567_89AB_CDEFUL));
    }
}
