using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Interrupts;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// System-register instructions (AMD64 APM vol. 3): LGDT, LIDT, LTR (CPL 0), SGDT, SIDT, STR (any CPL: the
/// K8 has no UMIP), MOV to and from CR0/CR2/CR3/CR4, INVLPG, SWAPGS, CLI and STI. WRFSBASE and its family
/// do not exist on the K8 and stay unregistered, hence #UD; so do CR8 and the other control registers.
/// </summary>
public sealed unsafe partial class Cpu
{
    internal static void RegisterPrivileged(HandlerTable table)
    {
        table.Add(Mnemonic.Lgdt, &Lgdt);
        table.Add(Mnemonic.Lidt, &Lidt);
        table.Add(Mnemonic.Sgdt, &Sgdt);
        table.Add(Mnemonic.Sidt, &Sidt);
        table.Add(Mnemonic.Ltr, &Ltr);
        table.Add(Mnemonic.Str, &Str);
        table.Add(Code.Mov_r64_cr, &MovFromControl);
        table.Add(Code.Mov_cr_r64, &MovToControl);
        table.Add(Mnemonic.Invlpg, &Invlpg);
        table.Add(Mnemonic.Swapgs, &Swapgs);
        table.Add(Mnemonic.Cli, &Cli);
        table.Add(Mnemonic.Sti, &Sti);
    }

    /// <summary>#GP(0) unless the CPU runs at CPL 0.</summary>
    private void RequireCpl0()
    {
        if (Cpl != 0)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }
    }

    /// <summary>The 10-byte pseudo-descriptor of LGDT/LIDT in 64-bit mode: a 16-bit limit, then a 64-bit base.</summary>
    private DescriptorTableRegister ReadPseudoDescriptor(ref DecodedInstruction d)
    {
        RequireCpl0();
        ulong address = EffectiveAddress(ref d);
        ushort limit = Mmu.Read16(address);
        return new DescriptorTableRegister(Mmu.Read64(address + 2), limit);
    }

    private void WritePseudoDescriptor(ref DecodedInstruction d, DescriptorTableRegister register)
    {
        Span<byte> bytes = stackalloc byte[10];
        BitConverter.TryWriteBytes(bytes, register.Limit);
        BitConverter.TryWriteBytes(bytes[2..], register.Base);
        Mmu.WriteAs(EffectiveAddress(ref d), bytes, Cpl == 3);
    }

    private static void Lgdt(Cpu cpu, ref DecodedInstruction d) => cpu.Gdtr = cpu.ReadPseudoDescriptor(ref d);

    private static void Lidt(Cpu cpu, ref DecodedInstruction d) => cpu.Idtr = cpu.ReadPseudoDescriptor(ref d);

    private static void Sgdt(Cpu cpu, ref DecodedInstruction d) => cpu.WritePseudoDescriptor(ref d, cpu.Gdtr);

    private static void Sidt(Cpu cpu, ref DecodedInstruction d) => cpu.WritePseudoDescriptor(ref d, cpu.Idtr);

    private static void Ltr(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.RequireCpl0();
        cpu.LoadTaskRegister((ushort)cpu.Read0(ref d, cpu.AddressIfMemory(ref d)));
    }

    /// <summary>STR: a memory destination takes 16 bits; a register is zero-extended to the operand size.</summary>
    private static void Str(Cpu cpu, ref DecodedInstruction d) => cpu.Write0(ref d, cpu.AddressIfMemory(ref d), cpu.TaskRegister);

    private static void MovFromControl(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.RequireCpl0();
        cpu.R[d.Reg0] = d.Reg1 switch
        {
            0 => cpu.Cr0,
            2 => cpu.Cr2,
            3 => cpu.Mmu.Cr3,
            4 => cpu.Cr4,
            _ => throw new GuestFaultException(ExceptionVector.InvalidOpcode),
        };
    }

    /// <summary>
    /// MOV CRn, reg with the checks of APM vol. 2, §3.1: reserved bits set, leaving long mode (clearing
    /// CR0.PG or CR4.PAE), PG without PE, and NW without CD are #GP(0). A CR3 write flushes every cached
    /// translation: the functional TLB does not model global pages, which the architecture allows (a TLB
    /// may always drop entries). CR3 must also name memory that exists, so a guest cannot make the page
    /// walker read beyond physical memory.
    /// </summary>
    private static void MovToControl(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.RequireCpl0();
        ulong value = cpu.R[d.Reg1];
        switch (d.Reg0)
        {
            case 0:
                bool leavesLongMode = (value & ControlRegisters.Cr0Pg) == 0 || (value & ControlRegisters.Cr0Pe) == 0;
                bool badCaching = (value & ControlRegisters.Cr0Nw) != 0 && (value & ControlRegisters.Cr0Cd) == 0;
                if ((value >> 32) != 0 || leavesLongMode || badCaching)
                {
                    throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
                }

                cpu.Cr0 = value;
                break;
            case 2:
                cpu.Cr2 = value;
                break;
            case 3:
                if ((value & ControlRegisters.Cr3Reserved) != 0 || (value & KmlSim.Memory.PageTableEntry.AddressMask) >= cpu.Memory.SizeBytes)
                {
                    throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
                }

                cpu.Mmu.Cr3 = value;
                break;
            case 4:
                if ((value & ~ControlRegisters.Cr4Implemented) != 0 || (value & ControlRegisters.Cr4Pae) == 0)
                {
                    throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
                }

                if (((cpu.Cr4 ^ value) & ControlRegisters.Cr4Pge) != 0)
                {
                    cpu.Mmu.FlushAll(); // toggling PGE flushes global translations too
                }

                cpu.Cr4 = value;
                break;
            default:
                throw new GuestFaultException(ExceptionVector.InvalidOpcode);
        }

        cpu.breakBlock = true; // the following instructions may be translated differently
    }

    private static void Invlpg(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.RequireCpl0();
        cpu.Mmu.FlushPage(cpu.EffectiveAddress(ref d));
        cpu.breakBlock = true;
    }

    private static void Swapgs(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.RequireCpl0();
        (cpu.GsBase, cpu.KernelGsBase) = (cpu.KernelGsBase, cpu.GsBase);
        cpu.SwapgsInstructions++;
    }

    /// <summary>CLI and STI need CPL ≤ IOPL (APM vol. 3; protected-mode virtual interrupts do not exist in long mode).</summary>
    private void RequireIoPrivilege()
    {
        if (Cpl > (int)((flagBits & RFlags.IOPL) >> 12))
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }
    }

    private static void Cli(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.RequireIoPrivilege();
        cpu.flagBits &= ~RFlags.IF;
    }

    /// <summary>STI: when it sets IF, interrupts are recognised only after the next instruction (the STI shadow).</summary>
    private static void Sti(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.RequireIoPrivilege();
        if ((cpu.flagBits & RFlags.IF) == 0)
        {
            cpu.flagBits |= RFlags.IF;
            cpu.RequestInterruptShadow();
        }
    }
}
