using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// The floating-point lane format of an SSE instruction (double or single), resolved at compile time: the
/// JIT instantiates each generic lane routine and handler once per format, so one routine serves both
/// widths with no per-instruction dispatch. Lane values travel as their raw bits, zero-extended to 64.
/// </summary>
internal interface ISseFormat
{
    /// <summary>True for single precision (whose operations are computed in double and then rounded).</summary>
    static abstract bool IsSingle { get; }

    /// <summary>Lanes in an XMM register.</summary>
    static abstract int Lanes { get; }

    /// <summary>The all-ones lane mask of a true CMPxx predicate.</summary>
    static abstract ulong AllOnes { get; }

    /// <summary>The sign bit.</summary>
    static abstract ulong SignBit { get; }

    /// <summary>The quiet bit of a NaN (the top fraction bit).</summary>
    static abstract ulong QuietBit { get; }

    /// <summary>The x86 default NaN ("real indefinite"), returned by invalid operations: negative, quiet.</summary>
    static abstract ulong DefaultNaN { get; }

    /// <summary>True for a NaN encoding.</summary>
    static abstract bool IsNaN(ulong bits);

    /// <summary>True for a denormal (non-zero with a zero exponent field).</summary>
    static abstract bool IsDenormal(ulong bits);

    /// <summary>The value, exactly, as a double.</summary>
    static abstract double ToDouble(ulong bits);

    /// <summary>The bits of <paramref name="value"/> rounded to this format (to nearest even).</summary>
    static abstract ulong FromDouble(double value);

    /// <summary>Lane <paramref name="index"/> of <paramref name="vector"/>.</summary>
    static abstract ulong Lane(Vector128<byte> vector, int index);

    /// <summary><paramref name="vector"/> with lane <paramref name="index"/> replaced.</summary>
    static abstract Vector128<byte> WithLane(Vector128<byte> vector, int index, ulong bits);
}

/// <summary>Double precision (SD/PD forms).</summary>
internal struct SseDouble : ISseFormat
{
    public static bool IsSingle => false;
    public static int Lanes => 2;
    public static ulong AllOnes => ulong.MaxValue;
    public static ulong SignBit => 0x8000_0000_0000_0000;
    public static ulong QuietBit => 1UL << 51;
    public static ulong DefaultNaN => 0xFFF8_0000_0000_0000;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNaN(ulong bits) => (bits & 0x7FFF_FFFF_FFFF_FFFF) > 0x7FF0_0000_0000_0000;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsDenormal(ulong bits) => (bits & 0x7FF0_0000_0000_0000) == 0 && (bits & 0x000F_FFFF_FFFF_FFFF) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FromDouble(double value) => BitConverter.DoubleToUInt64Bits(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lane(Vector128<byte> vector, int index) => vector.AsUInt64().GetElement(index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> WithLane(Vector128<byte> vector, int index, ulong bits) => vector.AsUInt64().WithElement(index, bits).AsByte();
}

/// <summary>Single precision (SS/PS forms).</summary>
internal struct SseSingle : ISseFormat
{
    public static bool IsSingle => true;
    public static int Lanes => 4;
    public static ulong AllOnes => uint.MaxValue;
    public static ulong SignBit => 0x8000_0000;
    public static ulong QuietBit => 1U << 22;
    public static ulong DefaultNaN => 0xFFC0_0000;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNaN(ulong bits) => (bits & 0x7FFF_FFFF) > 0x7F80_0000;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsDenormal(ulong bits) => (bits & 0x7F80_0000) == 0 && (bits & 0x007F_FFFF) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble(ulong bits) => BitConverter.UInt32BitsToSingle((uint)bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FromDouble(double value) => BitConverter.SingleToUInt32Bits((float)value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lane(Vector128<byte> vector, int index) => vector.AsUInt32().GetElement(index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> WithLane(Vector128<byte> vector, int index, ulong bits) => vector.AsUInt32().WithElement(index, (uint)bits).AsByte();
}
