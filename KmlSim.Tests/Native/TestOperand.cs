using Iced.Intel;

namespace KmlSim.Tests.Native;

/// <summary>What an operand of a generated instruction refers to.</summary>
internal enum TestOperandKind
{
    /// <summary>A general-purpose register (any size, including AH..BH).</summary>
    Register,
    /// <summary>Memory at <c>[base + displacement]</c> inside the shared data buffer.</summary>
    Memory,
    /// <summary>An immediate.</summary>
    Immediate,
}

/// <summary>
/// One operand of a generated instruction, able to read and write its value in a <see cref="CpuState"/>
/// (so that generators can plant edge values and predict faults such as #DE before running).
/// </summary>
internal readonly record struct TestOperand(TestOperandKind Kind, Register Register, int Size, int BufferOffset, int Displacement, long Immediate)
{
    public static TestOperand Gpr(Register register) => new(TestOperandKind.Register, register, register.GetSize(), 0, 0, 0);

    public static TestOperand Memory(Register baseRegister, int bufferOffset, int displacement, int size) =>
        new(TestOperandKind.Memory, baseRegister, size, bufferOffset, displacement, 0);

    public static TestOperand Imm(long value) => new(TestOperandKind.Immediate, Register.None, 0, 0, 0, value);

    public bool IsHigh8 => Register is Register.AH or Register.CH or Register.DH or Register.BH;

    /// <summary>The encoding index of the GPR holding a register operand (or the memory base).</summary>
    public int Index => IsHigh8 ? Register - Register.AH : Register.GetFullRegister() - Register.RAX;

    public MemoryOperand IcedMemory => new(Register, Displacement, Displacement is >= -128 and < 128 ? 1 : 8);

    /// <summary>The operand's value (zero-extended to 64 bits).</summary>
    public ulong Read(CpuState state) => Kind switch
    {
        TestOperandKind.Register when IsHigh8 => (byte)(state.Gpr[Index] >> 8),
        TestOperandKind.Register => state.Gpr[Index] & Mask(Size),
        TestOperandKind.Memory => state.ReadMemory(BufferOffset, Size),
        _ => (ulong)Immediate,
    };

    /// <summary>Replaces the operand's value in <paramref name="state"/> (the rest of a register is kept).</summary>
    public void Write(CpuState state, ulong value)
    {
        switch (Kind)
        {
            case TestOperandKind.Register when IsHigh8:
                state.Gpr[Index] = (state.Gpr[Index] & ~0xFF00UL) | ((value & 0xFF) << 8);
                break;
            case TestOperandKind.Register:
                state.Gpr[Index] = (state.Gpr[Index] & ~Mask(Size)) | (value & Mask(Size));
                break;
            case TestOperandKind.Memory:
                state.WriteMemory(BufferOffset, Size, value);
                break;
            default:
                throw new InvalidOperationException("an immediate cannot be written");
        }
    }

    public static ulong Mask(int size) => size >= 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;
}
