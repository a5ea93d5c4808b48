using Iced.Intel;
using KmlSim.Decoding;

namespace KmlSim.Execution.Operands;

/// <summary>
/// Picks a handler specialised on operand kinds and size for the most frequent integer instructions
/// (MOV, ADD, SUB, CMP, AND, OR, XOR, TEST in register, immediate and memory forms). Everything else keeps
/// the generic handler of its family, which is semantically identical.
/// </summary>
internal static unsafe class SpecializedHandlers
{
    /// <summary>A specialised handler for the decoded instruction, or null to keep the generic one.</summary>
    public static delegate*<Cpu, ref DecodedInstruction, void> Find(Mnemonic mnemonic, ref DecodedInstruction d) => mnemonic switch
    {
        Mnemonic.Mov => BySize<MovOperation>(ref d),
        Mnemonic.Add => BySize<AddOperation>(ref d),
        Mnemonic.Sub => BySize<SubOperation>(ref d),
        Mnemonic.Cmp => BySize<CmpOperation>(ref d),
        Mnemonic.And => BySize<AndOperation>(ref d),
        Mnemonic.Or => BySize<OrOperation>(ref d),
        Mnemonic.Xor => BySize<XorOperation>(ref d),
        Mnemonic.Test => BySize<TestOperation>(ref d),
        Mnemonic.Movzx => ExtensionBySource<ZeroExtension>(ref d),
        Mnemonic.Movsx or Mnemonic.Movsxd => ExtensionBySource<SignExtension>(ref d),
        _ => null,
    };

    private static delegate*<Cpu, ref DecodedInstruction, void> ExtensionBySource<TExtension>(ref DecodedInstruction d)
        where TExtension : IExtension
    {
        if (d.Kind0 != OperandKind.Gpr)
        {
            return null;
        }

        return (d.Size1, d.Kind1) switch
        {
            (1, OperandKind.Gpr) => &Extend<TExtension, Register1<Size8>, Size8>,
            (1, OperandKind.Memory) => ExtendFromMemory<TExtension, Size8>(ref d),
            (2, OperandKind.Gpr) => &Extend<TExtension, Register1<Size16>, Size16>,
            (2, OperandKind.Memory) => ExtendFromMemory<TExtension, Size16>(ref d),
            (4, OperandKind.Gpr) => &Extend<TExtension, Register1<Size32>, Size32>,
            (4, OperandKind.Memory) => ExtendFromMemory<TExtension, Size32>(ref d),
            _ => null,
        };
    }

    private static delegate*<Cpu, ref DecodedInstruction, void> ExtendFromMemory<TExtension, TSize>(ref DecodedInstruction d)
        where TExtension : IExtension
        where TSize : IOperandSize => FormOf(ref d) switch
    {
        AddressingForm.Base => &Extend<TExtension, MemoryOperand<TSize, BaseAddressing>, TSize>,
        AddressingForm.Absolute => &Extend<TExtension, MemoryOperand<TSize, AbsoluteAddressing>, TSize>,
        _ => &Extend<TExtension, MemoryOperand<TSize, GeneralAddressing>, TSize>,
    };

    /// <summary>Which specialised addressing computes the instruction's memory operand exactly.</summary>
    private static AddressingForm FormOf(ref DecodedInstruction d)
    {
        if (d.MemIndex != DecodedInstruction.NoRegister || d.AddressSize != 8 || d.MemSegment != 0)
        {
            return AddressingForm.General;
        }

        return d.MemBase == DecodedInstruction.NoRegister ? AddressingForm.Absolute : AddressingForm.Base;
    }

    private static void Extend<TExtension, TSource, TSourceSize>(Cpu cpu, ref DecodedInstruction d)
        where TExtension : IExtension
        where TSource : IOperand
        where TSourceSize : IOperandSize
    {
        ulong address = TSource.Address(cpu, ref d);
        ulong value = TSource.Read(cpu, ref d, address);
        cpu.WriteGpr(d.Reg0, d.Size0, TExtension.Extend(value, TSourceSize.Bytes));
    }

    private static delegate*<Cpu, ref DecodedInstruction, void> BySize<TOp>(ref DecodedInstruction d)
        where TOp : IBinaryOperation
    {
        if (d.OpCount != 2 || (d.Size1 != d.Size0 && d.Kind1 != OperandKind.Immediate))
        {
            return null;
        }

        return d.Size0 switch
        {
            8 => ByKinds<TOp, Size64>(ref d),
            4 => ByKinds<TOp, Size32>(ref d),
            2 => ByKinds<TOp, Size16>(ref d),
            1 => ByKinds<TOp, Size8>(ref d),
            _ => null,
        };
    }

    private static delegate*<Cpu, ref DecodedInstruction, void> ByKinds<TOp, TSize>(ref DecodedInstruction d)
        where TOp : IBinaryOperation
        where TSize : IOperandSize => (d.Kind0, d.Kind1) switch
    {
        (OperandKind.Gpr, OperandKind.Gpr) => &Binary<TOp, Register0<TSize>, Register1<TSize>, TSize>,
        (OperandKind.Gpr, OperandKind.Immediate) => &Binary<TOp, Register0<TSize>, ImmediateOperand<TSize>, TSize>,
        (OperandKind.Gpr, OperandKind.Memory) => FormOf(ref d) switch
        {
            AddressingForm.Base => &Binary<TOp, Register0<TSize>, MemoryOperand<TSize, BaseAddressing>, TSize>,
            AddressingForm.Absolute => &Binary<TOp, Register0<TSize>, MemoryOperand<TSize, AbsoluteAddressing>, TSize>,
            _ => &Binary<TOp, Register0<TSize>, MemoryOperand<TSize, GeneralAddressing>, TSize>,
        },
        (OperandKind.Memory, OperandKind.Gpr) => FormOf(ref d) switch
        {
            AddressingForm.Base => &Binary<TOp, MemoryOperand<TSize, BaseAddressing>, Register1<TSize>, TSize>,
            AddressingForm.Absolute => &Binary<TOp, MemoryOperand<TSize, AbsoluteAddressing>, Register1<TSize>, TSize>,
            _ => &Binary<TOp, MemoryOperand<TSize, GeneralAddressing>, Register1<TSize>, TSize>,
        },
        (OperandKind.Memory, OperandKind.Immediate) => FormOf(ref d) switch
        {
            AddressingForm.Base => &Binary<TOp, MemoryOperand<TSize, BaseAddressing>, ImmediateOperand<TSize>, TSize>,
            AddressingForm.Absolute => &Binary<TOp, MemoryOperand<TSize, AbsoluteAddressing>, ImmediateOperand<TSize>, TSize>,
            _ => &Binary<TOp, MemoryOperand<TSize, GeneralAddressing>, ImmediateOperand<TSize>, TSize>,
        },
        _ => null,
    };

    private static void Binary<TOp, TDestination, TSource, TSize>(Cpu cpu, ref DecodedInstruction d)
        where TOp : IBinaryOperation
        where TDestination : IOperand
        where TSource : IOperand
        where TSize : IOperandSize
    {
        ulong address = TDestination.IsMemory ? TDestination.Address(cpu, ref d) : TSource.Address(cpu, ref d);
        ulong a = TOp.ReadsDestination ? TDestination.Read(cpu, ref d, address) : 0;
        ulong b = TSource.Read(cpu, ref d, address);
        ulong result = TOp.Compute(a, b);
        if (TOp.WritesDestination)
        {
            TDestination.Write(cpu, ref d, address, result);
        }

        TOp.SetFlags(cpu, a, b, result, TSize.Bytes);
    }
}
