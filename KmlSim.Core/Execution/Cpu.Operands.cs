using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using KmlSim.Decoding;

namespace KmlSim.Execution;

/// <summary>Operand access shared by every family: effective addresses, registers, memory, the stack.</summary>
public sealed partial class Cpu
{
    /// <summary>The linear address of the instruction's memory operand (segment base included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong EffectiveAddress(ref DecodedInstruction d)
    {
        ulong address = d.Displacement;
        if (d.MemBase != DecodedInstruction.NoRegister)
        {
            address += R[d.MemBase];
        }

        if (d.MemIndex != DecodedInstruction.NoRegister)
        {
            address += R[d.MemIndex] * d.MemScale;
        }

        if (d.AddressSize == 4)
        {
            address = (uint)address;
        }

        if (d.MemSegment != 0)
        {
            address += d.MemSegment == 4 ? FsBase : GsBase;
        }

        return address;
    }

    /// <summary>Mask of the low <paramref name="size"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong SizeMask(int size) => size >= 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;

    /// <summary>Sign-extends the low <paramref name="size"/> bytes of a value to 64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long SignExtend(ulong value, int size)
    {
        int shift = 64 - (size * 8);
        return (long)(value << shift) >> shift;
    }

    /// <summary>Reads a GPR at an operand size (zero-extended).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong ReadGpr(int reg, int size) => size switch
    {
        8 => R[reg],
        4 => (uint)R[reg],
        2 => (ushort)R[reg],
        _ => (byte)R[reg],
    };

    /// <summary>Writes a GPR at an operand size: 32-bit writes zero the upper half, 8/16-bit writes merge.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteGpr(int reg, int size, ulong value)
    {
        switch (size)
        {
            case 8: R[reg] = value; break;
            case 4: R[reg] = (uint)value; break;
            case 2: R[reg] = (R[reg] & ~0xFFFFUL) | (ushort)value; break;
            default: R[reg] = (R[reg] & ~0xFFUL) | (byte)value; break;
        }
    }

    /// <summary>Reads an integer operand of any kind (memory through <paramref name="address"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong ReadOperand(OperandKind kind, byte reg, int size, ref DecodedInstruction d, ulong address) => kind switch
    {
        OperandKind.Gpr => ReadGpr(reg, size),
        OperandKind.Immediate => d.Immediate & SizeMask(size),
        OperandKind.Memory => Mmu.Read(address, size),
        OperandKind.GprHigh8 => (byte)(R[reg] >> 8),
        _ => ReadOtherOperand(kind, reg, size),
    };

    /// <summary>Writes an integer operand of any kind.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteOperand(OperandKind kind, byte reg, int size, ulong address, ulong value)
    {
        switch (kind)
        {
            case OperandKind.Gpr: WriteGpr(reg, size, value); break;
            case OperandKind.Memory: Mmu.Write(address, value, size); break;
            case OperandKind.GprHigh8: R[reg] = (R[reg] & ~0xFF00UL) | ((value & 0xFF) << 8); break;
            default: WriteOtherOperand(kind, reg, value); break;
        }
    }

    private ulong ReadOtherOperand(OperandKind kind, byte reg, int size) => kind switch
    {
        OperandKind.Segment => Selectors[reg],
        OperandKind.Xmm => Xmm[reg].AsUInt64().ToScalar() & SizeMask(size),
        OperandKind.Mmx => ReadMmx(reg) & SizeMask(size),
        _ => throw new Interrupts.GuestFaultException(Interrupts.ExceptionVector.InvalidOpcode),
    };

    private void WriteOtherOperand(OperandKind kind, byte reg, ulong value)
    {
        if (kind == OperandKind.Segment)
        {
            WriteSegment(reg, (ushort)value);
            return;
        }

        if (kind == OperandKind.Mmx)
        {
            WriteMmx(reg, value);
            return;
        }

        throw new Interrupts.GuestFaultException(Interrupts.ExceptionVector.InvalidOpcode);
    }

    /// <summary>Operand 0, read (the destination of two-operand forms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong Read0(ref DecodedInstruction d, ulong address) => ReadOperand(d.Kind0, d.Reg0, d.Size0, ref d, address);

    /// <summary>Operand 1, read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong Read1(ref DecodedInstruction d, ulong address) => ReadOperand(d.Kind1, d.Reg1, d.Size1, ref d, address);

    /// <summary>Operand 0, written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Write0(ref DecodedInstruction d, ulong address, ulong value) => WriteOperand(d.Kind0, d.Reg0, d.Size0, address, value);

    /// <summary>Operand 1, written (XCHG, XADD).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Write1(ref DecodedInstruction d, ulong address, ulong value) => WriteOperand(d.Kind1, d.Reg1, d.Size1, address, value);

    /// <summary>The memory operand's address, or 0 when the instruction has none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong AddressIfMemory(ref DecodedInstruction d) => d.MemSize != 0 || d.Kind0 == OperandKind.Memory || d.Kind1 == OperandKind.Memory
        ? EffectiveAddress(ref d)
        : 0;

    /// <summary>Pushes a 64-bit value (the store happens before RSP changes, so a fault leaves RSP intact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Push64(ulong value)
    {
        ulong rsp = R[4] - 8;
        Mmu.Write64(rsp, value);
        R[4] = rsp;
    }

    /// <summary>Pops a 64-bit value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong Pop64()
    {
        ulong value = Mmu.Read64(R[4]);
        R[4] += 8;
        return value;
    }
}
