using System.Runtime.Intrinsics;
using Iced.Intel;
using KmlSim.Execution;
using KmlSim.Memory;
using KmlSim.Tests.Native;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Execution.Differential;

/// <summary>
/// FXSAVE/FXSAVE64/FXRSTOR/FXRSTOR64 and FNSAVE/FRSTOR against the host CPU: the same instruction sequence
/// (load an x87 and SSE state, save it; or restore an image, save it again and store the environment) runs
/// natively and in the simulator, and the saved bytes and XMM registers must agree. The one field allowed to differ is
/// MXCSR_MASK: the simulated K8 reports 0000FFFF, the host (a later AMD with the misaligned-SSE mode) adds bit 17.
/// </summary>
[Category("Differential")]
public class X87StateDifferentialTests
{
    private const int BufferLength = 8192;
    private const int ControlWord = 0x000;
    private const int Values = 0x010;
    private const int Mxcsr = 0x100;
    private const int DefaultMxcsr = 0x104;
    private const int StaleValues = 0x110;
    private const int Image = 0x200;
    private const int Saved = 0x400;
    private const int Environment = 0x700;
    private const int MxcsrMaskOffset = 28;

    /// <summary>Register values worth saving: normals of both signs, zeros, infinities, NaNs, a denormal, an unnormal.</summary>
    private static readonly (ushort SignExponent, ulong Significand)[] Specials =
    [
        (0x3FFF, 0x8000000000000000), (0xC005, 0xB0A0000000000001), (0x0000, 0), (0x8000, 0), (0x7FFF, 0x8000000000000000),
        (0xFFFF, 0xC000000000000000), (0x7FFF, 0xA000000000000001), (0x0000, 0x0000000000012345), (0x4000, 0x4000000000000000),
    ];

    private NativeExecutor? native;

    [OneTimeSetUp]
    public void MapNativePages() => native = new NativeExecutor(BufferLength);

    [OneTimeTearDown]
    public void UnmapNativePages() => native?.Dispose();

    [Test]
    public void FxsaveStoresTheStateAsTheHostDoes([Values(false, true)] bool rexW, [Range(0, 15)] int seed)
    {
        var rng = new Random(seed);
        int loads = rng.Next(9);
        CpuState input = NewState(rng);
        BitConverter.TryWriteBytes(input.Memory.AsSpan(ControlWord), (ushort)(0x007F | (rng.Next(4) << 10) | (new[] { 0, 2, 3 }[rng.Next(3)] << 8)));
        WriteStackValues(input, rng);

        // All exceptions masked (an unmasked one would trap in the test process); random RC, DAZ, FZ and flags.
        BitConverter.TryWriteBytes(input.Memory.AsSpan(Mxcsr), (uint)(0x1F80 | (rng.Next(4) << 13) | rng.Next(0x80) | (rng.Next(2) << 15)));
        BitConverter.TryWriteBytes(input.Memory.AsSpan(DefaultMxcsr), 0x1F80u);

        Assembler a = LoadStack(loads);
        if (loads > 1)
        {
            a.fadd(st0, st1); // leaves exception flags and C1 in the status word
        }

        a.ldmxcsr(__dword_ptr[rsi + Mxcsr]);
        if (rexW)
        {
            a.fxsave64(__[rsi + Image]);
        }
        else
        {
            a.fxsave(__[rsi + Image]);
        }

        int instructions = 12 + loads + (loads > 1 ? 1 : 0);
        Compare(a, instructions, input, Image);
    }

    [Test]
    public void FxrstorLoadsTheImageAsTheHostDoes([Values(false, true)] bool rexW, [Range(0, 15)] int seed)
    {
        var rng = new Random(seed);
        CpuState input = NewState(rng);
        Span<byte> image = input.Memory.AsSpan(Image, 512);
        BitConverter.TryWriteBytes(image, (ushort)(0x037F | (rng.Next(4) << 10)));
        BitConverter.TryWriteBytes(image[2..], (ushort)((rng.Next(8) << 11) | rng.Next(0x80) | (rng.Next(16) << 8 & 0x4700)));
        image[4] = (byte)rng.Next(256);
        BitConverter.TryWriteBytes(image[24..], (uint)(0x1F80 | (rng.Next(4) << 13) | rng.Next(0x80)));
        for (int i = 0; i < 8; i++)
        {
            WriteValue(image[(32 + (16 * i))..], rng);
        }

        rng.NextBytes(image[160..416]);
        BitConverter.TryWriteBytes(input.Memory.AsSpan(DefaultMxcsr), 0x1F80u);

        var a = new Assembler(64);
        if (rexW)
        {
            a.fxrstor64(__[rsi + Image]);
        }
        else
        {
            a.fxrstor(__[rsi + Image]);
        }

        a.fxsave64(__[rsi + Saved]);
        a.fnstenv(__[rsi + Environment]); // the full tag word, rebuilt from the abridged tags and the contents
        a.fninit();
        Compare(a, 3, input, Saved);
    }

    [Test]
    public void FnsaveStoresAndFrstorRestoresAsOnTheHost([Range(0, 15)] int seed)
    {
        var rng = new Random(seed);
        int loads = rng.Next(9);
        CpuState input = NewState(rng);
        BitConverter.TryWriteBytes(input.Memory.AsSpan(ControlWord), (ushort)(0x007F | (rng.Next(4) << 10)));
        WriteStackValues(input, rng);
        BitConverter.TryWriteBytes(input.Memory.AsSpan(DefaultMxcsr), 0x1F80u);
        Assembler a = LoadStack(loads);
        a.fnsave(__[rsi + Image]);
        a.fnstcw(__word_ptr[rsi + Environment]); // FNSAVE leaves the FNINIT state
        a.frstor(__[rsi + Image]);
        a.fxsave64(__[rsi + Saved]);
        Compare(a, 14 + loads, input, Saved, untrackedPointersAt: Image);
    }

    private static CpuState NewState(Random rng)
    {
        var state = new CpuState(BufferLength);
        for (int i = 0; i < 16; i++)
        {
            state.Xmm[i] = Vector128.Create(InputValues.Uniform(rng), InputValues.Uniform(rng)).AsByte();
        }

        return state;
    }

    /// <summary>Random values for the eight loads of <see cref="LoadStack"/> and for the stale loads before them.</summary>
    private static void WriteStackValues(CpuState input, Random rng)
    {
        for (int i = 0; i < 8; i++)
        {
            WriteValue(input.Memory.AsSpan(Values + (16 * i)), rng);
            WriteValue(input.Memory.AsSpan(StaleValues + (16 * i)), rng);
        }
    }

    /// <summary>
    /// The first 10 + <paramref name="loads"/> instructions: all eight registers loaded with stale values
    /// (FXSAVE and FNSAVE store empty registers' contents too, so that no earlier value shows), FNINIT, FLDCW,
    /// then <paramref name="loads"/> fresh values.
    /// </summary>
    private static Assembler LoadStack(int loads)
    {
        var a = new Assembler(64);
        for (int i = 0; i < 8; i++)
        {
            a.fld(__tword_ptr[rsi + StaleValues + (16 * i)]);
        }

        a.fninit();
        a.fldcw(__word_ptr[rsi + ControlWord]);
        for (int i = 0; i < loads; i++)
        {
            a.fld(__tword_ptr[rsi + Values + (16 * i)]);
        }

        return a;
    }

    private static void WriteValue(Span<byte> destination, Random rng)
    {
        (ushort se, ulong sig) = rng.Next(2) == 0
            ? Specials[rng.Next(Specials.Length)]
            : ((ushort)(rng.Next(0x7FFF) | (rng.Next(2) << 15)), InputValues.Uniform(rng) | 0x8000000000000000);
        BitConverter.TryWriteBytes(destination, sig);
        BitConverter.TryWriteBytes(destination[8..], se);
    }

    /// <summary>
    /// Runs the sequence (plus FNINIT and LDMXCSR of the default, which the host needs back) natively and
    /// the first <paramref name="instructions"/> of it simulated, and compares the buffer and XMM0-15 (the
    /// image FXSAVE wrote at <paramref name="savedAt"/> with its MXCSR_MASK checked apart, and the pointer
    /// fields of an FNSAVE image at <paramref name="untrackedPointersAt"/> left out).
    /// </summary>
    private void Compare(Assembler sequence, int instructions, CpuState input, int savedAt, int untrackedPointersAt = -1)
    {
        NativeExecutor host = native ?? throw new InvalidOperationException("not set up");
        input.Gpr[6] = host.BufferAddress; // RSI
        sequence.fninit();
        sequence.ldmxcsr(__dword_ptr[rsi + DefaultMxcsr]);
        var writer = new BufferCodeWriter();
        sequence.Assemble(writer, SimulatorExecutor.CodeAddress);
        byte[] code = [.. writer.Bytes];

        CpuState expected = host.Run(code, input);

        var m = new SnippetMachine();
        m.Map(host.BufferAddress, BufferLength, PageFlags.User | PageFlags.Writable);
        m.Poke(host.BufferAddress, input.Memory);
        m.LoadCode(SimulatorExecutor.CodeAddress, code);
        m.Cpu.SetRegister(Isa.Gpr.Rsi, host.BufferAddress);
        for (int i = 0; i < 16; i++)
        {
            m.Cpu.SetXmm(i, input.Xmm[i]);
        }

        Assert.That(m.Run(instructions), Is.EqualTo(StopReason.InstructionLimit), () => m.Cpu.LastFault?.Message ?? "");
        byte[] actual = m.Peek(host.BufferAddress, BufferLength);
        Assert.That(BitConverter.ToUInt32(actual, savedAt + MxcsrMaskOffset), Is.EqualTo(0xFFFFu), "K8 MXCSR_MASK");
        Assert.That(BitConverter.ToUInt32(expected.Memory, savedAt + MxcsrMaskOffset) & 0xFFFF, Is.EqualTo(0xFFFFu), "host MXCSR_MASK covers K8's");
        expected.Memory.AsSpan(savedAt + MxcsrMaskOffset, 4).CopyTo(actual.AsSpan(savedAt + MxcsrMaskOffset));
        if (untrackedPointersAt >= 0)
        {
            // FNSAVE's instruction/operand pointers and opcode (bytes 12-23 of the environment) are not tracked.
            expected.Memory.AsSpan(untrackedPointersAt + 12, 12).CopyTo(actual.AsSpan(untrackedPointersAt + 12));
        }

        Assert.Multiple(() =>
        {
            for (int offset = 0; offset < BufferLength; offset += 16)
            {
                Assert.That(Convert.ToHexString(actual, offset, 16), Is.EqualTo(Convert.ToHexString(expected.Memory, offset, 16)), $"buffer bytes {offset:X3}-{offset + 15:X3}");
            }

            for (int i = 0; i < 16; i++)
            {
                Assert.That(m.Cpu.GetXmm(i), Is.EqualTo(expected.Xmm[i]), $"XMM{i}");
            }
        });
    }
}
