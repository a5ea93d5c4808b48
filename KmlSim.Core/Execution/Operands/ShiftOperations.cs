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
        int bits = size * 8;
        int rotate = count & (bits - 1);
        ulong result = rotate == 0 ? value : ((value << rotate) | (value >> (bits - rotate))) & Cpu.SizeMask(size);
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
        int bits = size * 8;
        int rotate = count & (bits - 1);
        ulong result = rotate == 0 ? value : ((value >> rotate) | (value << (bits - rotate))) & Cpu.SizeMask(size);
        int sign = Cpu.SignShift(size);
        carry = result >> sign;
        overflow = carry ^ ((result >> (sign - 1)) & 1);
        return result;
    }
}

/// <summary>RCL: a rotate of the (width + 1)-bit value CF:operand, by the masked count modulo width + 1.</summary>
internal struct RotateCarryLeft : IShiftOperation
{
    public static bool IsDoubleShift => false;
    public static bool IsRotate => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Compute(Cpu cpu, ulong value, ulong source, int count, int size, out ulong carry, out ulong overflow)
    {
        int bits = size * 8;
        int rotate = count % (bits + 1);
        UInt128 wide = ((UInt128)cpu.CarryFlag() << bits) | value;
        UInt128 rotated = rotate == 0 ? wide : (wide << rotate) | (wide >> (bits + 1 - rotate));
        ulong result = (ulong)rotated & Cpu.SizeMask(size);
        carry = (ulong)(rotated >> bits) & 1;
        overflow = (result >> Cpu.SignShift(size)) ^ carry;
        return result;
    }
}

/// <summary>RCR: as <see cref="RotateCarryLeft"/>, the other way.</summary>
internal struct RotateCarryRight : IShiftOperation
{
    public static bool IsDoubleShift => false;
    public static bool IsRotate => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Compute(Cpu cpu, ulong value, ulong source, int count, int size, out ulong carry, out ulong overflow)
    {
        int bits = size * 8;
        int rotate = count % (bits + 1);
        UInt128 wide = ((UInt128)cpu.CarryFlag() << bits) | value;
        UInt128 rotated = rotate == 0 ? wide : (wide >> rotate) | (wide << (bits + 1 - rotate));
        ulong result = (ulong)rotated & Cpu.SizeMask(size);
        int sign = Cpu.SignShift(size);
        carry = (ulong)(rotated >> bits) & 1;
        overflow = (result >> sign) ^ ((result >> (sign - 1)) & 1);
        return result;
    }
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
