using System.Runtime.CompilerServices;

namespace KmlSim.Execution.Operands;

/// <summary>The arithmetic of one shift or rotate, for the shared handler <c>Cpu.Shift</c>.</summary>
internal interface IShiftOperation
{
    /// <summary>True for SHLD/SHRD: the count is the third operand and the second operand fills the vacated bits.</summary>
    static abstract bool IsDoubleShift { get; }

    /// <summary>True for rotates, which change only CF and OF.</summary>
    static abstract bool IsRotate { get; }

    /// <summary>
    /// The result of shifting <paramref name="value"/> by a non-zero masked <paramref name="count"/>, with CF
    /// (0 or 1) and the OF bit (0 or 1). <paramref name="source"/> is the fill operand of a double shift.
    /// </summary>
    static abstract ulong Compute(Cpu cpu, ulong value, ulong source, int count, int size, out ulong carry, out ulong overflow);
}

/// <summary>SHL/SAL.</summary>
internal struct ShiftLeft : IShiftOperation
{
    public static bool IsDoubleShift => false;
    public static bool IsRotate => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Compute(Cpu cpu, ulong value, ulong source, int count, int size, out ulong carry, out ulong overflow)
    {
        int bits = size * 8;
        ulong result = (value << count) & Cpu.SizeMask(size);
        carry = count <= bits ? (value >> (bits - count)) & 1 : 0;
        overflow = (result >> Cpu.SignShift(size)) ^ carry;
        return result;
    }
}

/// <summary>SHR.</summary>
internal struct ShiftRight : IShiftOperation
{
    public static bool IsDoubleShift => false;
    public static bool IsRotate => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Compute(Cpu cpu, ulong value, ulong source, int count, int size, out ulong carry, out ulong overflow)
    {
        carry = (value >> (count - 1)) & 1;
        overflow = value >> Cpu.SignShift(size);
        return value >> count;
    }
}

/// <summary>SAR.</summary>
internal struct ShiftRightArithmetic : IShiftOperation
{
    public static bool IsDoubleShift => false;
    public static bool IsRotate => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Compute(Cpu cpu, ulong value, ulong source, int count, int size, out ulong carry, out ulong overflow)
    {
        long signed = Cpu.SignExtend(value, size);
        carry = (ulong)(signed >> (count - 1)) & 1;
        overflow = 0;
        return (ulong)(signed >> count) & Cpu.SizeMask(size);
    }
}

/// <summary>ROL.</summary>
internal struct RotateLeft : IShiftOperation
{
    public static bool IsDoubleShift => false;
    public static bool IsRotate => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Compute(Cpu cpu, ulong value, ulong source, int count, int size, out ulong carry, out ulong overflow)
    {
        ulong result = Rotation.Rotate(value, count, size, left: true);
        carry = result & 1;
        overflow = (result >> Cpu.SignShift(size)) ^ carry;
        return result;
    }
}

/// <summary>ROR.</summary>
internal struct RotateRight : IShiftOperation
{
    public static bool IsDoubleShift => false;
    public static bool IsRotate => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Compute(Cpu cpu, ulong value, ulong source, int count, int size, out ulong carry, out ulong overflow)
    {
        ulong result = Rotation.Rotate(value, count, size, left: false);
        carry = result >> Cpu.SignShift(size);
        overflow = carry ^ Rotation.SecondTopBit(result, size);
        return result;
    }
}

/// <summary>RCL.</summary>
internal struct RotateCarryLeft : IShiftOperation
{
    public static bool IsDoubleShift => false;
    public static bool IsRotate => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Compute(Cpu cpu, ulong value, ulong source, int count, int size, out ulong carry, out ulong overflow)
    {
        ulong result = Rotation.RotateThroughCarry(cpu, value, count, size, left: true, out carry);
        overflow = (result >> Cpu.SignShift(size)) ^ carry;
        return result;
    }
}

/// <summary>RCR.</summary>
internal struct RotateCarryRight : IShiftOperation
{
    public static bool IsDoubleShift => false;
    public static bool IsRotate => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Compute(Cpu cpu, ulong value, ulong source, int count, int size, out ulong carry, out ulong overflow)
    {
        ulong result = Rotation.RotateThroughCarry(cpu, value, count, size, left: false, out carry);
        overflow = (result >> Cpu.SignShift(size)) ^ Rotation.SecondTopBit(result, size);
        return result;
    }
}

/// <summary>The rotations shared by ROL/ROR and RCL/RCR (the direction is a constant at each call, so it folds away).</summary>
internal static class Rotation
{
    /// <summary>ROL/ROR: <paramref name="value"/> rotated within the operand width by the masked count modulo the width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Rotate(ulong value, int count, int size, bool left)
    {
        int bits = size * 8;
        int rotate = count & (bits - 1);
        if (rotate == 0)
        {
            return value;
        }

        ulong rotated = left ? (value << rotate) | (value >> (bits - rotate)) : (value >> rotate) | (value << (bits - rotate));
        return rotated & Cpu.SizeMask(size);
    }

    /// <summary>
    /// RCL/RCR: a rotate of the (width + 1)-bit value CF:operand, by the masked count modulo width + 1;
    /// <paramref name="carry"/> is the bit that lands in CF.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong RotateThroughCarry(Cpu cpu, ulong value, int count, int size, bool left, out ulong carry)
    {
        int bits = size * 8;
        int rotate = count % (bits + 1);
        UInt128 wide = ((UInt128)cpu.CarryFlag() << bits) | value;
        UInt128 rotated = rotate == 0 ? wide
            : left ? (wide << rotate) | (wide >> (bits + 1 - rotate))
            : (wide >> rotate) | (wide << (bits + 1 - rotate));
        carry = (ulong)(rotated >> bits) & 1;
        return (ulong)rotated & Cpu.SizeMask(size);
    }

    /// <summary>The bit below the sign bit (a right rotate's OF is the top two bits' XOR).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SecondTopBit(ulong result, int size) => (result >> (Cpu.SignShift(size) - 1)) & 1;
}

/// <summary>
/// SHLD: the destination shifted left, filled from the top of the source. Computed on the 2×width
/// value dest:src, so a 16-bit count above 16 (undefined in the manual) still gives a defined answer.
/// </summary>
internal struct DoubleShiftLeft : IShiftOperation
{
    public static bool IsDoubleShift => true;
    public static bool IsRotate => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Compute(Cpu cpu, ulong value, ulong source, int count, int size, out ulong carry, out ulong overflow)
    {
        int bits = size * 8;
        UInt128 shifted = (((UInt128)value << bits) | source) << count;
        ulong result = (ulong)(shifted >> bits) & Cpu.SizeMask(size);
        carry = count <= bits ? (value >> (bits - count)) & 1 : 0;
        overflow = ((result ^ value) >> Cpu.SignShift(size)) & 1;
        return result;
    }
}

/// <summary>SHRD: the destination shifted right, filled from the bottom of the source (on src:dest).</summary>
internal struct DoubleShiftRight : IShiftOperation
{
    public static bool IsDoubleShift => true;
    public static bool IsRotate => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Compute(Cpu cpu, ulong value, ulong source, int count, int size, out ulong carry, out ulong overflow)
    {
        int bits = size * 8;
        UInt128 wide = ((UInt128)source << bits) | value;
        ulong result = (ulong)(wide >> count) & Cpu.SizeMask(size);
        carry = (ulong)(wide >> (count - 1)) & 1;
        overflow = ((result ^ value) >> Cpu.SignShift(size)) & 1;
        return result;
    }
}
