namespace KmlSim.Isa;

/// <summary>Bit fields of MXCSR, the SSE control/status register (AMD64 APM vol. 4, §1.6 / vol. 1, §4.2.2).</summary>
public static class MxcsrBits
{
    /// <summary>IE: invalid operation (SNaN operand, inf - inf, 0 * inf, 0/0, sqrt of a negative, out-of-range conversion).</summary>
    public const uint Invalid = 1 << 0;
    /// <summary>DE: a denormal operand.</summary>
    public const uint Denormal = 1 << 1;
    /// <summary>ZE: division of a finite non-zero number by zero.</summary>
    public const uint DivideByZero = 1 << 2;
    /// <summary>OE: the rounded result exceeds the format's largest finite number.</summary>
    public const uint Overflow = 1 << 3;
    /// <summary>UE: a tiny, inexact result (with the underflow exception masked).</summary>
    public const uint Underflow = 1 << 4;
    /// <summary>PE: the result was rounded (inexact).</summary>
    public const uint Precision = 1 << 5;
    /// <summary>DAZ: denormal source operands are treated as zeros of the same sign.</summary>
    public const uint DenormalsAreZero = 1 << 6;
    /// <summary>The six exception masks start here (IM at bit 7 ... PM at bit 12).</summary>
    public const int MaskShift = 7;
    /// <summary>RC, the rounding-control field (bits 14:13): 0 nearest-even, 1 down, 2 up, 3 toward zero.</summary>
    public const int RoundingShift = 13;
    /// <summary>FZ: tiny results are flushed to zero (with the underflow exception masked).</summary>
    public const uint FlushToZero = 1 << 15;
    /// <summary>The power-on and Linux default: all exceptions masked, round to nearest.</summary>
    public const uint Default = 0x1F80;
}
