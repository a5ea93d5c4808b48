using KmlSim.Interrupts;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// Segment registers in 64-bit mode (AMD64 APM vol. 2, §4.5 and §4.8; vol. 3, MOV Sreg and POP Sreg):
/// descriptors come from the GDT through supervisor accesses; there is no LDT (LLDT is not implemented),
/// so a selector with TI = 1 raises #GP(selector). Only FS and GS keep a base; DS and ES keep just the
/// selector.
/// </summary>
public sealed partial class Cpu
{
    /// <summary>
    /// Reads the GDT descriptor a selector names. Faults carry the selector as error code, with EXT when
    /// <paramref name="external"/> (the read happens while delivering an exception or external interrupt).
    /// </summary>
    internal (SegmentDescriptor Descriptor, ulong Address) ReadDescriptor(ushort selector, bool external)
    {
        ulong offset = (ulong)(selector & 0xFFF8);
        ulong address = Gdtr.Base + offset;
        return (new SegmentDescriptor(ReadDescriptorHalf(selector, address, external)), address);
    }

    /// <summary>Reads 8 bytes of the GDT at <paramref name="address"/>, checking them against the GDT limit.</summary>
    internal ulong ReadDescriptorHalf(ushort selector, ulong address, bool external)
    {
        if (SegmentSelector.IsLocal(selector) || address - Gdtr.Base + 7 > Gdtr.Limit)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, SegmentSelector.ErrorCode(selector, external));
        }

        return Mmu.ReadAs(address, 8, false);
    }

    /// <summary>Sets a code or data descriptor's accessed bit, as a segment load does (a supervisor write).</summary>
    internal void MarkAccessed(SegmentDescriptor descriptor, ulong address)
    {
        if ((descriptor.Raw & SegmentDescriptor.AccessedBit) == 0)
        {
            Mmu.WriteAs(address + 5, [(byte)((descriptor.Raw | SegmentDescriptor.AccessedBit) >> 40)], false);
        }
    }

    /// <summary>
    /// MOV Sreg / POP Sreg. A null selector is accepted for DS, ES, FS and GS (and keeps the FS/GS base, as
    /// K8 processors do: AMD clears the base only from Zen 3 on); SS accepts it only below CPL 3 with
    /// RPL = CPL. Otherwise the descriptor must be readable (SS: writable data) and privileged enough.
    /// </summary>
    internal void WriteSegment(int segment, ushort selector)
    {
        const int Cs = 1, Ss = 2, Fs = 4, Gs = 5;
        if (segment == Cs)
        {
            throw new GuestFaultException(ExceptionVector.InvalidOpcode); // MOV CS is #UD
        }

        if (segment == Gs && GsWritesRefused)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }

        int rpl = SegmentSelector.Rpl(selector);
        if (SegmentSelector.IsNull(selector))
        {
            if (segment == Ss && (Cpl == 3 || rpl != Cpl))
            {
                throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
            }

            Selectors[segment] = selector;
            return;
        }

        uint error = SegmentSelector.ErrorCode(selector, false);
        (SegmentDescriptor descriptor, ulong address) = ReadDescriptor(selector, false);
        if (segment == Ss)
        {
            if (rpl != Cpl || !descriptor.IsWritableData || descriptor.Dpl != Cpl)
            {
                throw new GuestFaultException(ExceptionVector.GeneralProtection, error);
            }

            if (!descriptor.Present)
            {
                throw new GuestFaultException(ExceptionVector.StackFault, error);
            }
        }
        else
        {
            bool readable = descriptor.IsData || descriptor.IsReadableCode;
            bool privilegeChecked = !descriptor.IsConforming;
            if (!readable || (privilegeChecked && (rpl > descriptor.Dpl || Cpl > descriptor.Dpl)))
            {
                throw new GuestFaultException(ExceptionVector.GeneralProtection, error);
            }

            if (!descriptor.Present)
            {
                throw new GuestFaultException(ExceptionVector.SegmentNotPresent, error);
            }
        }

        MarkAccessed(descriptor, address);
        Selectors[segment] = selector;
        if (segment == Fs)
        {
            FsBase = descriptor.Base;
        }
        else if (segment == Gs)
        {
            GsBase = descriptor.Base;
        }
    }
}
