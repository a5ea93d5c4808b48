using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>CMPXCHG8B (CPUID CX8) and XLAT.</summary>
public sealed unsafe partial class Cpu
{
    internal static void RegisterByteAndQuadExchange(HandlerTable table)
    {
        table.Add(Code.Cmpxchg8b_m64, &Cmpxchg8b);
        table.Add(Code.Xlat_m8, &Xlat);
    }

    /// <summary>
    /// CMPXCHG8B m64: if EDX:EAX equals the quadword, ZF = 1 and ECX:EBX is stored; otherwise ZF = 0, the
    /// quadword is written back unchanged (the locked cycle writes either way, so a read-only page faults)
    /// and loaded into EDX:EAX, zero-extending both. No other flag changes.
    /// </summary>
    private static void Cmpxchg8b(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.EffectiveAddress(ref d);
        ulong current = cpu.Mmu.Read64(address);
        ulong expected = (uint)cpu.R[0] | ((ulong)(uint)cpu.R[2] << 32);
        bool equal = current == expected;
        cpu.Mmu.Write64(address, equal ? (uint)cpu.R[3] | ((ulong)(uint)cpu.R[1] << 32) : current);
        if (!equal)
        {
            cpu.R[0] = (uint)current;
            cpu.R[2] = current >> 32;
        }

        cpu.Rflags = (cpu.Rflags & ~RFlags.ZF) | (equal ? RFlags.ZF : 0);
    }

    /// <summary>XLAT: AL = [rBX + AL] (EBX and a 32-bit sum with a 67h prefix; an FS/GS override adds its base).</summary>
    private static void Xlat(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.R[3] + (byte)cpu.R[0];
        if (d.AddressSize == 4)
        {
            address = (uint)address;
        }

        if (d.MemSegment != 0)
        {
            address += d.MemSegment == 4 ? cpu.FsBase : cpu.GsBase;
        }

        cpu.R[0] = (cpu.R[0] & ~0xFFUL) | cpu.Mmu.Read8(address);
    }
}
