using System.Runtime.CompilerServices;
using KmlSim.Decoding;

namespace KmlSim.Execution.Operands;

/// <summary>Operand 0 as a general-purpose register of size <typeparamref name="TSize"/>.</summary>
internal struct Register0<TSize> : IOperand
    where TSize : IOperandSize
{
    public static bool IsMemory => false;

    public static ulong Address(Cpu cpu, ref DecodedInstruction d) => 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read(Cpu cpu, ref DecodedInstruction d, ulong address) => cpu.ReadGpr(d.Reg0, TSize.Bytes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Cpu cpu, ref DecodedInstruction d, ulong address, ulong value) => cpu.WriteGpr(d.Reg0, TSize.Bytes, value);
}

/// <summary>Operand 1 as a general-purpose register of size <typeparamref name="TSize"/>.</summary>
internal struct Register1<TSize> : IOperand
    where TSize : IOperandSize
{
    public static bool IsMemory => false;

    public static ulong Address(Cpu cpu, ref DecodedInstruction d) => 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read(Cpu cpu, ref DecodedInstruction d, ulong address) => cpu.ReadGpr(d.Reg1, TSize.Bytes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Cpu cpu, ref DecodedInstruction d, ulong address, ulong value) => cpu.WriteGpr(d.Reg1, TSize.Bytes, value);
}

/// <summary>The memory operand, <typeparamref name="TSize"/> wide, addressed as <typeparamref name="TAddressing"/> says.</summary>
internal struct MemoryOperand<TSize, TAddressing> : IOperand
    where TSize : IOperandSize
    where TAddressing : IAddressing
{
    public static bool IsMemory => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Address(Cpu cpu, ref DecodedInstruction d) => TAddressing.Compute(cpu, ref d);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read(Cpu cpu, ref DecodedInstruction d, ulong address) => TSize.Bytes switch
    {
        8 => cpu.Mmu.Read64(address),
        4 => cpu.Mmu.Read32(address),
        2 => cpu.Mmu.Read16(address),
        _ => cpu.Mmu.Read8(address),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Cpu cpu, ref DecodedInstruction d, ulong address, ulong value)
    {
        switch (TSize.Bytes)
        {
            case 8: cpu.Mmu.Write64(address, value); break;
            case 4: cpu.Mmu.Write32(address, (uint)value); break;
            case 2: cpu.Mmu.Write16(address, (ushort)value); break;
            default: cpu.Mmu.Write8(address, (byte)value); break;
        }
    }
}

/// <summary>The immediate, truncated to <typeparamref name="TSize"/> (it is never written).</summary>
internal struct ImmediateOperand<TSize> : IOperand
    where TSize : IOperandSize
{
    public static bool IsMemory => false;

    public static ulong Address(Cpu cpu, ref DecodedInstruction d) => 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read(Cpu cpu, ref DecodedInstruction d, ulong address) => d.Immediate & Cpu.SizeMask(TSize.Bytes);

    public static void Write(Cpu cpu, ref DecodedInstruction d, ulong address, ulong value) =>
        throw new InvalidOperationException("an immediate is not writable");
}
