using KmlSim.Interrupts;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// System registers: CR0, CR2, CR3 (the MMU's), CR4, EFER, GDTR, IDTR and TR. Host code may set them
/// directly (a boot loader, a test); the guest goes through MOV CRn, WRMSR, LGDT, LIDT and LTR, which
/// check what they load.
/// </summary>
public sealed partial class Cpu
{
    private ulong cr0 = ControlRegisters.Cr0Initial;
    private ulong efer = Msr.EferLme | Msr.EferLma | Msr.EferNxe;

    /// <summary>GDTR.</summary>
    public DescriptorTableRegister Gdtr;

    /// <summary>
    /// IDTR. While its limit is 0 no IDT is loaded: an exception ends the run with
    /// <see cref="StopReason.Fault"/> instead of being delivered (the syscall-emulation runner relies on it).
    /// </summary>
    public DescriptorTableRegister Idtr;

    /// <summary>CR2: the linear address of the last page fault.</summary>
    public ulong Cr2;

    /// <summary>CR4 (the K8 bits VME..OSXMMEXCPT; PGE is kept but the software TLB does not model global pages).</summary>
    public ulong Cr4 = ControlRegisters.Cr4Initial;

    /// <summary>TR: the selector of the loaded TSS (0 when none).</summary>
    public ushort TaskRegister { get; private set; }

    /// <summary>Linear base of the loaded TSS.</summary>
    public ulong TssBase { get; private set; }

    /// <summary>Limit of the loaded TSS (offset of its last byte).</summary>
    public uint TssLimit { get; private set; }

    /// <summary>CR0. Writing it updates the MMU's CR0.WP and, when WP changes, drops cached translations.</summary>
    public ulong Cr0
    {
        get => cr0;
        set
        {
            cr0 = value | ControlRegisters.Cr0Et;
            bool writeProtect = (value & ControlRegisters.Cr0Wp) != 0;
            if (Mmu.WriteProtect != writeProtect)
            {
                Mmu.WriteProtect = writeProtect;
                Mmu.FlushAll();
            }
        }
    }

    /// <summary>EFER. Writing it updates the MMU's EFER.NXE and, when NXE changes, drops cached translations.</summary>
    public ulong Efer
    {
        get => efer;
        set
        {
            efer = value;
            bool noExecute = (value & Msr.EferNxe) != 0;
            if (Mmu.NoExecuteEnabled != noExecute)
            {
                Mmu.NoExecuteEnabled = noExecute;
                Mmu.FlushAll();
            }
        }
    }

    /// <summary>
    /// Loads TR as LTR does (at any CPL, for boot code written in C#): the selector must name an available
    /// 64-bit TSS descriptor in the GDT, which becomes busy.
    /// </summary>
    /// <exception cref="GuestFaultException">#GP or #NP, as LTR raises them.</exception>
    public void LoadTaskRegister(ushort selector)
    {
        if (SegmentSelector.IsNull(selector))
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }

        uint error = SegmentSelector.ErrorCode(selector, false);
        (SegmentDescriptor low, ulong address) = ReadDescriptor(selector, false);
        ulong high = ReadDescriptorHalf(selector, address + 8, false);
        // The upper half's type field must be zero (APM vol. 2, §4.8.3: a 16-byte system descriptor).
        if (!low.IsSystem || low.Type != SegmentDescriptor.AvailableTss64 || ((high >> 40) & 0x1F) != 0)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, error);
        }

        if (!low.Present)
        {
            throw new GuestFaultException(ExceptionVector.SegmentNotPresent, error);
        }

        ulong tssBase = low.Base | (high << 32);
        if (!KmlSim.Memory.Mmu.IsCanonical(tssBase))
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, error);
        }

        Mmu.WriteAs(address, BitConverter.GetBytes(low.Raw | SegmentDescriptor.TssBusyBit), false);
        TaskRegister = selector;
        TssBase = tssBase;
        TssLimit = low.Limit;
    }

    /// <summary>Reads a 64-bit field of the TSS (RSPn, ISTn) as a supervisor access.</summary>
    /// <exception cref="GuestFaultException">#TS(TR) when the field lies beyond the TSS limit or no TSS is loaded.</exception>
    internal ulong ReadTss64(int offset, bool external)
    {
        if (TaskRegister == 0 || (ulong)offset + 7 > TssLimit)
        {
            throw new GuestFaultException(ExceptionVector.InvalidTss, SegmentSelector.ErrorCode(TaskRegister, external));
        }

        return Mmu.ReadAs(TssBase + (ulong)offset, 8, false);
    }
}
