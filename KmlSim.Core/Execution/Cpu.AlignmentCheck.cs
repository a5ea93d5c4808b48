using Iced.Intel;
using KmlSim.Interrupts;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// Alignment checking (AMD64 APM vol. 2, §8.2.18): with CR0.AM and RFLAGS.AC set, a data reference at CPL 3
/// to a word, doubleword or quadword (an x87 extended value as a quadword) that is not naturally aligned
/// raises #AC(0) before the instruction executes; instruction fetches, and the system accesses of
/// descriptor tables and interrupt frames, are not checked. While checking is on (a process set AC; Linux
/// sets CR0.AM) the run loop retires one instruction at a time and decodes each one's references here, so
/// the per-instruction paths pay nothing while AC is clear.
/// </summary>
public sealed partial class Cpu
{
    /// <summary>True when data references are alignment-checked: CPL 3, CR0.AM and RFLAGS.AC.</summary>
    private bool AlignmentChecking => Cpl == 3 && (cr0 & ControlRegisters.Cr0Am) != 0 && (flagBits & RFlags.AC) != 0;

    /// <summary>#AC(0) when alignment checking is on and the instruction at RIP makes a misaligned reference.</summary>
    private void CheckAlignment()
    {
        if (!AlignmentChecking)
        {
            return;
        }

        var bytes = new byte[15];
        int n = ReadInstructionBytes(Rip, bytes);
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(bytes, 0, n), Rip);
        decoder.Decode(out Instruction instruction);
        if (instruction.IsInvalid)
        {
            return; // its fetch or #UD comes first
        }

        stackReferenceInfo ??= new InstructionInfoFactory();
        foreach (UsedMemory used in stackReferenceInfo.GetInfo(instruction).GetUsedMemory())
        {
            ulong alignment = used.MemorySize.GetSize() switch
            {
                2 => 2,
                4 => 4,
                8 or 10 => 8,
                _ => 1,
            };
            if (alignment > 1 && used.Access != OpAccess.NoMemAccess && used.TryGetVirtualAddress(0, out ulong address, RegisterValue) && (address & (alignment - 1)) != 0)
            {
                currentBlock = null; // nothing of the block retired: RIP is the checked instruction
                throw new GuestFaultException(ExceptionVector.AlignmentCheck, 0);
            }
        }
    }
}
