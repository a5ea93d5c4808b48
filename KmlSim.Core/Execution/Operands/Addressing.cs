using System.Runtime.CompilerServices;
using KmlSim.Decoding;

namespace KmlSim.Execution.Operands;

/// <summary>
/// How a specialised handler computes its memory operand's address. Most operands are [base + disp] or
/// RIP-relative (an absolute address after decoding), so those forms skip the general computation's tests
/// for index, address size and segment base.
/// </summary>
internal interface IAddressing
{
    /// <summary>The linear address.</summary>
    static abstract ulong Compute(Cpu cpu, ref DecodedInstruction d);
}

/// <summary>Any form: <see cref="Cpu.EffectiveAddress"/>.</summary>
internal struct GeneralAddressing : IAddressing
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Compute(Cpu cpu, ref DecodedInstruction d) => cpu.EffectiveAddress(ref d);
}

/// <summary>[base + disp] with 64-bit addressing and no FS/GS override.</summary>
internal struct BaseAddressing : IAddressing
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Compute(Cpu cpu, ref DecodedInstruction d) => cpu.R[d.MemBase] + d.Displacement;
}

/// <summary>[disp] (RIP-relative operands are absolute after decoding) with no FS/GS override.</summary>
internal struct AbsoluteAddressing : IAddressing
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Compute(Cpu cpu, ref DecodedInstruction d) => d.Displacement;
}

/// <summary>The addressing forms the specialiser distinguishes.</summary>
internal enum AddressingForm
{
    /// <summary><see cref="GeneralAddressing"/>.</summary>
    General,
    /// <summary><see cref="BaseAddressing"/>.</summary>
    Base,
    /// <summary><see cref="AbsoluteAddressing"/>.</summary>
    Absolute,
}
