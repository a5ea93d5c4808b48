using Iced.Intel;
using KmlSim.Interrupts;

namespace KmlSim.Execution;

/// <summary>
/// Which exception a non-canonical address raises: #SS(0) when the reference goes through SS (PUSH, POP,
/// CALL, RET and the other implicit stack accesses, or an operand based on RSP or RBP), #GP(0) otherwise
/// (AMD64 APM vol. 2, §4.5.2 and the exception lists of vol. 3). The MMU does not know the segment, so the
/// faulting instruction is decoded again here, on the fault path only, and its SS references are computed.
/// </summary>
public sealed partial class Cpu
{
    private static InstructionInfoFactory? stackReferenceInfo;

    /// <summary>True when the instruction at RIP references <paramref name="linear"/> through SS.</summary>
    private bool ReferencesStack(ulong linear)
    {
        var bytes = new byte[15];
        int n = ReadInstructionBytes(Rip, bytes);
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(bytes, 0, n), Rip);
        decoder.Decode(out Instruction instruction);
        if (instruction.IsInvalid)
        {
            return false;
        }

        stackReferenceInfo ??= new InstructionInfoFactory();
        foreach (UsedMemory used in stackReferenceInfo.GetInfo(instruction).GetUsedMemory())
        {
            if (used.Segment == Register.SS && used.TryGetVirtualAddress(0, out ulong address, RegisterValue) && address == linear)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Register values for Iced's address computation (segment bases are 0 but FS's and GS's).</summary>
    private bool RegisterValue(Register register, int elementIndex, int elementSize, out ulong value)
    {
        value = register switch
        {
            Register.FS => FsBase,
            Register.GS => GsBase,
            _ when register.IsGPR64() => R[register - Register.RAX],
            _ when register.IsGPR32() => (uint)R[register - Register.EAX],
            _ => 0,
        };
        return true;
    }
}
