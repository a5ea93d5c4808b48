using Iced.Intel;
using KmlSim.Execution;
using KmlSim.Execution.Operands;

namespace KmlSim.Decoding;

/// <summary>
/// Turns Iced's <see cref="Instruction"/> into the interpreter's <see cref="DecodedInstruction"/>: operand
/// kinds, register numbers and sizes, the address fields, and the handler chosen from the
/// <see cref="HandlerTable"/> (an instruction without a handler gets the #UD handler).
/// </summary>
internal sealed unsafe class InstructionTranslator(HandlerTable handlers)
{
    public DecodedInstruction Translate(in Instruction instruction)
    {
        var d = new DecodedInstruction
        {
            Ip = instruction.IP,
            NextIp = instruction.NextIP,
            Code = instruction.Code,
            Length = (byte)instruction.Length,
            OpCount = (byte)Math.Min(instruction.OpCount, 3),
            MemBase = DecodedInstruction.NoRegister,
            MemIndex = DecodedInstruction.NoRegister,
            MemScale = 1,
            AddressSize = 8,
            Condition = (byte)instruction.ConditionCode,
        };
        if (instruction.HasRepPrefix)
        {
            d.Prefixes |= DecodedInstruction.PrefixRep;
        }

        if (instruction.HasRepnePrefix)
        {
            d.Prefixes |= DecodedInstruction.PrefixRepne;
        }

        if (instruction.HasLockPrefix)
        {
            d.Prefixes |= DecodedInstruction.PrefixLock;
        }

        int immediateCount = 0;
        for (int i = 0; i < d.OpCount; i++)
        {
            (OperandKind kind, byte reg, byte size) = Operand(in instruction, i, ref d, ref immediateCount);
            switch (i)
            {
                case 0: d.Kind0 = kind; d.Reg0 = reg; d.Size0 = size; break;
                case 1: d.Kind1 = kind; d.Reg1 = reg; d.Size1 = size; break;
                default: d.Kind2 = kind; d.Reg2 = reg; d.Size2 = size; break;
            }
        }

        // Immediates take the size of the operation (operand 0) where there is one.
        if (d.Kind1 == OperandKind.Immediate && d.Size0 != 0) d.Size1 = d.Size0;
        if (d.Kind2 == OperandKind.Immediate) d.Size2 = 1;
        if (d.Kind0 == OperandKind.Immediate && d.Size0 == 0) d.Size0 = 8;

        d.MemSize = (byte)instruction.MemorySize.GetSize();
        DependencyAnalysis.Describe(in instruction, ref d);
        d.Execute = handlers.Find(instruction.Code, instruction.Mnemonic);
        if (handlers.IsGeneric(instruction.Code))
        {
            var specialized = SpecializedHandlers.Find(instruction.Mnemonic, ref d);
            if (specialized != null)
            {
                d.Execute = specialized;
            }
        }

        return d;
    }

    private static (OperandKind Kind, byte Reg, byte Size) Operand(in Instruction instruction, int i, ref DecodedInstruction d, ref int immediateCount)
    {
        switch (instruction.GetOpKind(i))
        {
            case OpKind.Register:
                return RegisterOperand(instruction.GetOpRegister(i));
            case OpKind.NearBranch16:
            case OpKind.NearBranch32:
            case OpKind.NearBranch64:
                d.Immediate = instruction.NearBranchTarget;
                return (OperandKind.Immediate, 0, 8);
            case OpKind.Immediate8:
            case OpKind.Immediate8_2nd:
            case OpKind.Immediate16:
            case OpKind.Immediate32:
            case OpKind.Immediate64:
            case OpKind.Immediate8to16:
            case OpKind.Immediate8to32:
            case OpKind.Immediate8to64:
            case OpKind.Immediate32to64:
                ulong value = instruction.GetImmediate(i);
                if (immediateCount++ == 0)
                {
                    d.Immediate = value;
                }
                else
                {
                    d.Immediate2 = value;
                }

                return (OperandKind.Immediate, 0, ImmediateSize(instruction.GetOpKind(i)));
            case OpKind.Memory:
                SetAddress(in instruction, ref d);
                return (OperandKind.Memory, 0, (byte)instruction.MemorySize.GetSize());
            default:
                // String operands ([rsi], [rdi]) are implicit in the string handlers.
                if (instruction.MemorySegment is Register.FS or Register.GS)
                {
                    d.MemSegment = instruction.MemorySegment == Register.FS ? (byte)4 : (byte)5;
                }

                d.AddressSize = (byte)(instruction.MemoryDisplSize == 4 || IsAddress32(instruction) ? 4 : 8);
                return (OperandKind.Memory, 0, (byte)instruction.MemorySize.GetSize());
        }
    }

    private static bool IsAddress32(in Instruction instruction) =>
        instruction.Op0Kind is OpKind.MemoryESEDI or OpKind.MemorySegESI or OpKind.MemorySegEDI
        || (instruction.OpCount > 1 && instruction.Op1Kind is OpKind.MemoryESEDI or OpKind.MemorySegESI or OpKind.MemorySegEDI);

    private static byte ImmediateSize(OpKind kind) => kind switch
    {
        OpKind.Immediate8 or OpKind.Immediate8_2nd => 1,
        OpKind.Immediate16 or OpKind.Immediate8to16 => 2,
        OpKind.Immediate32 or OpKind.Immediate8to32 => 4,
        _ => 8,
    };

    private static void SetAddress(in Instruction instruction, ref DecodedInstruction d)
    {
        if (instruction.MemorySegment is Register.FS or Register.GS)
        {
            d.MemSegment = instruction.MemorySegment == Register.FS ? (byte)4 : (byte)5;
        }

        if (instruction.IsIPRelativeMemoryOperand)
        {
            d.Displacement = instruction.IPRelativeMemoryAddress;
            return;
        }

        Register baseRegister = instruction.MemoryBase;
        Register indexRegister = instruction.MemoryIndex;
        if (baseRegister.IsGPR32() || indexRegister.IsGPR32())
        {
            d.AddressSize = 4;
        }

        if (baseRegister != Register.None)
        {
            d.MemBase = GprIndex(baseRegister);
        }

        if (indexRegister != Register.None)
        {
            d.MemIndex = GprIndex(indexRegister);
            d.MemScale = (byte)instruction.MemoryIndexScale;
        }

        d.Displacement = instruction.MemoryDisplacement64;
    }

    private static byte GprIndex(Register register) => (byte)(register.GetFullRegister() - Register.RAX);

    private static (OperandKind Kind, byte Reg, byte Size) RegisterOperand(Register register)
    {
        if (register is Register.AH or Register.CH or Register.DH or Register.BH)
        {
            return (OperandKind.GprHigh8, (byte)(register - Register.AH), 1);
        }

        if (register.IsGPR())
        {
            return (OperandKind.Gpr, GprIndex(register), (byte)register.GetSize());
        }

        if (register.IsXMM())
        {
            return (OperandKind.Xmm, (byte)(register - Register.XMM0), 16);
        }

        if (register.IsST())
        {
            return (OperandKind.X87, (byte)(register - Register.ST0), 10);
        }

        if (register.IsMM())
        {
            return (OperandKind.Mmx, (byte)(register - Register.MM0), 8);
        }

        if (register.IsSegmentRegister())
        {
            return (OperandKind.Segment, (byte)(register - Register.ES), 2);
        }

        if (register.IsCR())
        {
            return (OperandKind.Control, (byte)(register - Register.CR0), 8);
        }

        return (OperandKind.OtherRegister, (byte)register, (byte)register.GetSize());
    }
}
