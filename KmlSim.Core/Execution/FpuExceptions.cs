namespace KmlSim.Execution;

/// <summary>
/// x87 exception flags as laid out in the low bits of the FPU status word (AMD64 APM vol. 1, §6.2.2), plus
/// <see cref="RoundedUp"/>, which the arithmetic reports so that the instruction can set C1.
/// </summary>
[Flags]
internal enum FpuExceptions : ushort
{
    /// <summary>No exception.</summary>
    None = 0,
    /// <summary>IE: invalid operation.</summary>
    Invalid = 1 << 0,
    /// <summary>DE: denormalised operand.</summary>
    Denormal = 1 << 1,
    /// <summary>ZE: division by zero.</summary>
    ZeroDivide = 1 << 2,
    /// <summary>OE: overflow.</summary>
    Overflow = 1 << 3,
    /// <summary>UE: underflow.</summary>
    Underflow = 1 << 4,
    /// <summary>PE: precision (inexact result).</summary>
    Precision = 1 << 5,
    /// <summary>SF: stack fault (with IE; C1 tells overflow from underflow).</summary>
    StackFault = 1 << 6,
    /// <summary>The inexact result was rounded away from zero (reported in C1, bit 9 of the status word).</summary>
    RoundedUp = 1 << 9,
}
