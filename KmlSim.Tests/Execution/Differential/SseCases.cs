using System.Runtime.Intrinsics;
using Iced.Intel;
using KmlSim.Isa;
using KmlSim.Tests.Native;

namespace KmlSim.Tests.Execution.Differential;

/// <summary>
/// Operands and values for SSE differential cases: XMM registers, 16-byte aligned memory operands, and
/// floating-point lanes biased towards the cases x86 treats specially (signed zeros, infinities, quiet and
/// signaling NaNs with payloads, denormals, the normal/denormal and overflow borders, values close
/// together so that sums cancel and round) plus random MXCSR rounding modes, DAZ and FZ (exceptions
/// always masked: an unmasked one would signal the test process).
/// </summary>
internal static class SseCases
{
    /// <summary>A random XMM register operand.</summary>
    public static TestOperand Xmm(Random rng) => TestOperand.Gpr(Register.XMM0 + rng.Next(16));

    /// <summary>A memory operand of <paramref name="size"/> bytes at a 16-byte aligned offset from the buffer middle.</summary>
    public static TestOperand AlignedMemory(CaseContext ctx, CpuState state, int size)
    {
        TestOperand baseRegister = ctx.Memory(state, 8);
        int displacement = ctx.Rng.Next(-4, 4) * 16;
        return TestOperand.Memory(baseRegister.Register, ctx.BufferMiddle + displacement, displacement, size);
    }

    /// <summary>An XMM register or (half the time) an aligned memory operand of <paramref name="size"/> bytes.</summary>
    public static TestOperand XmmOrMemory(CaseContext ctx, CpuState state, int size) =>
        ctx.Rng.Next(2) == 0 ? AlignedMemory(ctx, state, size) : Xmm(ctx.Rng);

    /// <summary>Places a 128-bit value in an XMM operand, or its low <c>Size</c> bytes in a memory operand.</summary>
    public static void Set(CpuState state, TestOperand operand, Vector128<byte> value)
    {
        if (operand.Kind == TestOperandKind.Memory)
        {
            for (int i = 0; i < operand.Size; i++)
            {
                state.Memory[operand.BufferOffset + i] = value.GetElement(i);
            }
        }
        else
        {
            state.Xmm[operand.Register - Register.XMM0] = value;
        }
    }

    /// <summary>A fresh state whose XMM registers hold double lanes (or single lanes) from <see cref="Double"/>/<see cref="Single"/>.</summary>
    public static CpuState FloatState(CaseContext ctx, bool singles)
    {
        CpuState state = ctx.NewState();
        for (int i = 0; i < 16; i++)
        {
            state.Xmm[i] = singles ? Singles(ctx.Rng) : Doubles(ctx.Rng);
        }

        state.Mxcsr = Mxcsr(ctx.Rng);
        return state;
    }

    /// <summary>Two double lanes.</summary>
    public static Vector128<byte> Doubles(Random rng) => Vector128.Create(Double(rng), Double(rng)).AsByte();

    /// <summary>Four single lanes.</summary>
    public static Vector128<byte> Singles(Random rng) => Vector128.Create(Single(rng), Single(rng), Single(rng), Single(rng)).AsByte();

    /// <summary>An edge-biased double encoding.</summary>
    public static ulong Double(Random rng)
    {
        ulong sign = (ulong)rng.Next(2) << 63;
        ulong mantissa = (ulong)rng.NextInt64() & 0x000F_FFFF_FFFF_FFFF;
        return rng.Next(16) switch
        {
            0 => sign,                                                          // +-0
            1 => sign | 0x7FF0_0000_0000_0000,                                  // +-inf
            2 => sign | 0x7FF8_0000_0000_0000 | (mantissa >> 1),                // quiet NaN
            3 => sign | 0x7FF0_0000_0000_0000 | ((mantissa >> 1) | 1),          // signaling NaN
            4 => sign | (mantissa | 1),                                         // denormal
            5 => sign | ((ulong)rng.Next(1, 4) << 52) | mantissa,               // just above the smallest normal
            6 => sign | ((ulong)rng.Next(0x7FC, 0x7FF) << 52) | mantissa,       // near the overflow border
            7 => sign | 0x3FF0_0000_0000_0000 | (mantissa & (ulong)rng.Next(2) * 0xF_FFFF_FFFF_FFFF), // 1.x or exactly 1
            8 => BitConverter.DoubleToUInt64Bits(Math.Round(rng.NextDouble() * 8 - 4, rng.Next(3)) + 0.0), // small, halves for rounding
            9 => sign | ((ulong)rng.Next(0x368, 0x3C0) << 52) | mantissa,      // around the single-precision range edges
            10 => sign | ((ulong)rng.Next(0x41C, 0x440) << 52) | mantissa,     // near 2^31 and 2^63 (integer conversion limits)
            _ => sign | ((ulong)rng.Next(0x3F0, 0x410) << 52) | mantissa,      // similar magnitudes: sums cancel and round
        };
    }

    /// <summary>An edge-biased single encoding.</summary>
    public static uint Single(Random rng)
    {
        uint sign = (uint)rng.Next(2) << 31;
        uint mantissa = (uint)rng.Next() & 0x007F_FFFF;
        return rng.Next(16) switch
        {
            0 => sign,
            1 => sign | 0x7F80_0000,
            2 => sign | 0x7FC0_0000 | (mantissa >> 1),
            3 => sign | 0x7F80_0000 | ((mantissa >> 1) | 1),
            4 => sign | (mantissa | 1),
            5 => sign | ((uint)rng.Next(1, 4) << 23) | mantissa,
            6 => sign | ((uint)rng.Next(0xFC, 0xFF) << 23) | mantissa,
            7 => sign | 0x3F80_0000 | (mantissa & (uint)rng.Next(2) * 0x7F_FFFF),
            8 => BitConverter.SingleToUInt32Bits((float)Math.Round(rng.NextDouble() * 8 - 4, rng.Next(3)) + 0f),
            9 => sign | ((uint)rng.Next(0x9C, 0xA0) << 23) | mantissa,          // near 2^31 (integer conversion limits)
            _ => sign | ((uint)rng.Next(0x78, 0x88) << 23) | mantissa,
        };
    }

    /// <summary>All exceptions masked; random rounding control, DAZ, FZ, and sometimes flags already set.</summary>
    public static uint Mxcsr(Random rng)
    {
        uint value = MxcsrBits.Default | ((uint)rng.Next(4) << MxcsrBits.RoundingShift);
        if (rng.Next(4) == 0)
        {
            value |= MxcsrBits.DenormalsAreZero;
        }

        if (rng.Next(4) == 0)
        {
            value |= MxcsrBits.FlushToZero;
        }

        if (rng.Next(4) == 0)
        {
            value |= (uint)rng.Next(64);
        }

        return value;
    }
}
