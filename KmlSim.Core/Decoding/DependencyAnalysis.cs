using Iced.Intel;
using KmlSim.Observation;

namespace KmlSim.Decoding;

/// <summary>
/// At decode time (once per instruction, never per execution): which registers an instruction reads and
/// writes and which memory it touches, from Iced's <see cref="InstructionInfo"/>. The interpreter does not
/// need this; an <see cref="IRetireObserver"/> (the timing model) does, and computing it here keeps Iced
/// out of the per-instruction path.
/// </summary>
internal static class DependencyAnalysis
{
    [ThreadStatic]
    private static InstructionInfoFactory? factory;

    public static void Describe(in Instruction instruction, ref DecodedInstruction d)
    {
        factory ??= new InstructionInfoFactory();
        InstructionInfo info = factory.GetInfo(instruction);
        ulong read = 0, written = 0;
        foreach (UsedRegister used in info.GetUsedRegisters())
        {
            ulong bit = Bit(used.Register);
            if (used.Access is OpAccess.Read or OpAccess.CondRead or OpAccess.ReadWrite or OpAccess.ReadCondWrite)
            {
                read |= bit;
            }

            if (used.Access is OpAccess.Write or OpAccess.CondWrite or OpAccess.ReadWrite or OpAccess.ReadCondWrite)
            {
                written |= bit;
            }
        }

        if (instruction.RflagsRead != RflagsBits.None)
        {
            read |= RegisterMask.Flags;
        }

        if ((instruction.RflagsModified | instruction.RflagsSet | instruction.RflagsCleared) != RflagsBits.None)
        {
            written |= RegisterMask.Flags;
        }

        d.RegistersRead = read;
        d.RegistersWritten = written;
        d.MemoryAccess = MemoryAccess(in instruction, info);
        d.ObservedFlags = ObservedFlags(ref d);
    }

    private static byte ObservedFlags(ref DecodedInstruction d)
    {
        byte flags = 0;
        if ((d.Prefixes & DecodedInstruction.PrefixLock) != 0)
        {
            flags |= DecodedInstruction.ObservedLocked;
        }

        if (d.MemScale > 1 || (d.MemBase != DecodedInstruction.NoRegister && d.MemIndex != DecodedInstruction.NoRegister && d.Displacement != 0))
        {
            flags |= DecodedInstruction.ObservedComplexAddress;
        }

        if ((d.Prefixes & (DecodedInstruction.PrefixRep | DecodedInstruction.PrefixRepne)) != 0 && d.MemoryAccess >= DecodedInstruction.AccessStringSource)
        {
            flags |= DecodedInstruction.ObservedRepeatedString;
        }

        return flags;
    }

    private static byte MemoryAccess(in Instruction instruction, InstructionInfo info)
    {
        byte access = 0;
        // Iced reports LEA's and NOP's memory operand as OpAccess.NoMemAccess, so they touch nothing here.
        for (int i = 0; i < instruction.OpCount; i++)
        {
            OpAccess op = info.GetOpAccess(i);
            bool reads = op is OpAccess.Read or OpAccess.CondRead or OpAccess.ReadWrite or OpAccess.ReadCondWrite;
            bool writes = op is OpAccess.Write or OpAccess.CondWrite or OpAccess.ReadWrite or OpAccess.ReadCondWrite;
            switch (instruction.GetOpKind(i))
            {
                case OpKind.Memory:
                    access |= (byte)((reads ? DecodedInstruction.AccessExplicitRead : 0) | (writes ? DecodedInstruction.AccessExplicitWrite : 0));
                    break;
                case OpKind.MemorySegRSI or OpKind.MemorySegESI or OpKind.MemorySegSI:
                    access |= DecodedInstruction.AccessStringSource;
                    break;
                case OpKind.MemoryESRDI or OpKind.MemoryESEDI or OpKind.MemoryESDI:
                    access |= writes ? DecodedInstruction.AccessStringDestinationWrite : DecodedInstruction.AccessStringDestinationRead;
                    break;
            }
        }

        if (instruction.Mnemonic == Mnemonic.Invlpg)
        {
            access |= DecodedInstruction.AccessExplicitRead; // reported so that an observer learns the page it flushes
        }

        int push = instruction.StackPointerIncrement;
        if (push < 0)
        {
            access |= DecodedInstruction.AccessStackWrite;
        }
        else if (push > 0 && instruction.Mnemonic != Mnemonic.Enter)
        {
            access |= DecodedInstruction.AccessStackRead;
        }

        return access;
    }

    private static ulong Bit(Register register)
    {
        if (register.IsGPR())
        {
            Register full = register.GetFullRegister();
            return full is >= Register.RAX and <= Register.R15 ? 1UL << (full - Register.RAX) : 0;
        }

        if (register.IsXMM())
        {
            return 1UL << (RegisterMask.XmmShift + (register - Register.XMM0));
        }

        return register.IsST() ? RegisterMask.X87 : 0;
    }
}
