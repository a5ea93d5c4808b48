using KmlSim.Execution;
using KmlSim.Isa;
using KmlSim.Memory;

namespace KmlSim.Interrupts;

/// <summary>
/// Long-mode interrupt and exception delivery (AMD64 APM vol. 2, §8.9): the 64-bit IDT gate, the target
/// code segment, the stack switch (IST always; TSS.RSPn on a privilege change; none otherwise), the
/// 16-byte aligned frame SS, RSP, RFLAGS, CS, RIP (and error code), RFLAGS.TF/NT/RF cleared and IF cleared
/// by interrupt gates. Every table read and frame write is an implicit access made as the new privilege
/// (supervisor for a ring-0 handler) whatever the CPL. A fault during delivery follows the double-fault
/// rules of table 8-8; a fault while delivering #DF shuts the processor down (triple fault).
/// </summary>
internal sealed class InterruptDelivery(Cpu cpu)
{
    // The longest chain: benign -> contributory -> contributory (#DF) -> fault (triple) has 4 events;
    // anything longer means a rule is missing, and shutting down is the safe answer.
    private const int MaxChain = 6;

    /// <summary>Delivers an event; false when the processor shut down (see <see cref="Cpu.LastTripleFault"/>).</summary>
    public bool Deliver(InterruptEvent first, out bool firstDelivered)
    {
        InterruptEvent current = first;
        ulong faultingRip = first.Source == EventSource.Software ? cpu.Rip : first.ReturnRip;
        ulong rsp = cpu.R[4];
        int cpl = cpu.Cpl;
        Span<byte> chain = stackalloc byte[MaxChain + 2];
        int length = 0;
        chain[length++] = first.Vector;
        while (true)
        {
            try
            {
                DeliverOnce(current);
                cpu.ObserveDelivery(current.Vector, faultingRip, cpl);
                firstDelivered = length == 1;
                return true;
            }
            catch (GuestFaultException second)
            {
                if (second.Vector == ExceptionVector.PageFault)
                {
                    cpu.Cr2 = second.FaultAddress;
                }

                chain[length++] = (byte)second.Vector;
                // A fault raised while delivering an event is charged to the interrupted instruction: the frame
                // of the second exception (or of #DF) saves the RIP of that instruction.
                SecondExceptionAction action = length >= MaxChain
                    ? SecondExceptionAction.TripleFault
                    : ExceptionClasses.Combine(current.Class, ExceptionClasses.Of(second.Vector));
                switch (action)
                {
                    case SecondExceptionAction.TripleFault:
                        cpu.ReportTripleFault(new TripleFaultReport(chain[..length].ToArray(), faultingRip, rsp, cpu.Cr2, cpl, second.ErrorCode));
                        firstDelivered = false;
                        return false;
                    case SecondExceptionAction.DoubleFault:
                        chain[length++] = (byte)ExceptionVector.DoubleFault;
                        current = new InterruptEvent((byte)ExceptionVector.DoubleFault, 0, EventSource.Exception, faultingRip);
                        break;
                    default:
                        current = new InterruptEvent((byte)second.Vector, second.ErrorCode, EventSource.Exception, faultingRip);
                        break;
                }
            }
        }
    }

    /// <summary>One delivery attempt; throws the fault that stops it, leaving the state untouched.</summary>
    private void DeliverOnce(in InterruptEvent e)
    {
        bool external = e.External;
        uint gateError = ((uint)e.Vector * 8) + 2 + (external ? 1u : 0u); // IDT bit set: the fault names a gate
        ulong gateOffset = (ulong)e.Vector * 16;
        if (gateOffset + 15 > cpu.Idtr.Limit)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, gateError);
        }

        var gate = new IdtGate(cpu.Mmu.ReadAs(cpu.Idtr.Base + gateOffset, 8, false), cpu.Mmu.ReadAs(cpu.Idtr.Base + gateOffset + 8, 8, false));
        if (!gate.IsInterruptOrTrapGate)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, gateError);
        }

        if (e.Source == EventSource.Software && gate.Dpl < cpu.Cpl)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, gateError);
        }

        if (!gate.Present)
        {
            throw new GuestFaultException(ExceptionVector.SegmentNotPresent, gateError);
        }

        ushort selector = gate.Selector;
        if (SegmentSelector.IsNull(selector))
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, external ? 1u : 0u);
        }

        uint selectorError = SegmentSelector.ErrorCode(selector, external);
        (SegmentDescriptor code, ulong codeAddress) = cpu.ReadDescriptor(selector, external);
        if (!code.Is64BitCode || code.Dpl > cpu.Cpl)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, selectorError);
        }

        if (!code.Present)
        {
            throw new GuestFaultException(ExceptionVector.SegmentNotPresent, selectorError);
        }

        if (!Mmu.IsCanonical(gate.Offset))
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, external ? 1u : 0u);
        }

        int newCpl = code.IsConforming ? cpu.Cpl : code.Dpl;
        ulong rsp = gate.Ist != 0 ? cpu.ReadTss64(TaskStateSegment.IstOffset(gate.Ist), external)
            : newCpl < cpu.Cpl ? cpu.ReadTss64(TaskStateSegment.RspOffset(newCpl), external)
            : cpu.R[4];
        if (!Mmu.IsCanonical(rsp))
        {
            throw new GuestFaultException(ExceptionVector.StackFault, external ? 1u : 0u);
        }

        // A privilege change loads SS with a null selector whose RPL is the new CPL (APM vol. 2, §8.9.3).
        ushort newSs = newCpl != cpu.Cpl ? (ushort)newCpl : cpu.Selectors[2];
        ulong rflags = cpu.Rflags;
        rsp &= ~0xFUL;
        Span<ulong> frame = [0, e.ReturnRip, cpu.Selectors[1], rflags, cpu.R[4], cpu.Selectors[2]];
        int first = e.ErrorCode is null ? 1 : 0;
        frame[0] = e.ErrorCode ?? 0;
        ulong frameBase = rsp - (ulong)((frame.Length - first) * 8);
        cpu.MarkAccessed(code, codeAddress);
        cpu.Mmu.WriteAs(frameBase, System.Runtime.InteropServices.MemoryMarshal.AsBytes(frame[first..]), newCpl == 3);

        cpu.R[4] = frameBase;
        cpu.Selectors[1] = (ushort)((selector & 0xFFFC) | newCpl);
        cpu.Selectors[2] = newSs;
        cpu.Cpl = newCpl;
        ulong cleared = RFlags.TF | RFlags.NT | RFlags.RF | (gate.IsInterruptGate ? RFlags.IF : 0);
        cpu.Rflags = rflags & ~cleared;
        cpu.Rip = gate.Offset;
    }
}
