using KmlSim.Interrupts;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// Asynchronous events at instruction boundaries: the local timer, interrupts injected by the host, the
/// one-instruction interrupt shadow after STI, and HLT waiting for an interrupt. The run loop never looks
/// at them per instruction: it caps each block's instruction count at <see cref="nextEventAt"/>, the
/// retired-instruction count at which something may next happen, and services events only there.
/// </summary>
public sealed partial class Cpu
{
    private readonly ulong[] pendingVectors = new ulong[4]; // one request bit per vector, like the APIC's IRR
    private int pendingCount;
    private readonly List<(long At, byte Vector)> injections = new(); // sorted by At
    private long nextEventAt;
    private long interruptShadowEnd;
    private bool interruptShadowRequested;
    private bool halted;

    /// <summary>The local APIC timer (periodic; programmed by the kernel).</summary>
    public LocalTimer Timer { get; }

    /// <summary>The state at shutdown when the last run ended with <see cref="StopReason.TripleFault"/>.</summary>
    public TripleFaultReport? LastTripleFault { get; private set; }

    /// <summary>True while the CPU waits in HLT for an interrupt.</summary>
    public bool IsHalted => halted;

    /// <summary>
    /// Raises external interrupt <paramref name="vector"/> once <see cref="InstructionsRetired"/> reaches
    /// <paramref name="atInstruction"/> (for tests and devices). Like any external interrupt it waits for
    /// RFLAGS.IF = 1; a CPU halted before that count wakes for it at once.
    /// </summary>
    public void InjectInterrupt(byte vector, long atInstruction)
    {
        int index = injections.Count;
        while (index > 0 && injections[index - 1].At > atInstruction)
        {
            index--;
        }

        injections.Insert(index, (atInstruction, vector));
        ScheduleEventCheck();
    }

    /// <summary>Makes the run loop look at events at the next instruction boundary.</summary>
    internal void ScheduleEventCheck()
    {
        nextEventAt = 0;
        attention = true;
        breakBlock = true;
    }

    /// <summary>STI that set IF: interrupts are recognised only after the next instruction.</summary>
    internal void RequestInterruptShadow()
    {
        interruptShadowRequested = true;
        ScheduleEventCheck();
    }

    internal void ReportTripleFault(TripleFaultReport report) => LastTripleFault = report;

    /// <summary>
    /// HLT at CPL 0: with IF = 1 and something that can raise an interrupt, wait for it (the time skips to
    /// the next timer expiry); otherwise nothing could ever wake the CPU, so the run stops.
    /// </summary>
    internal void Halt()
    {
        bool canWake = Timer.Enabled || injections.Count > 0 || pendingCount > 0;
        if ((flagBits & RFlags.IF) != 0 && canWake)
        {
            halted = true;
            ScheduleEventCheck();
            return;
        }

        Stop(StopReason.Halted);
    }

    /// <summary>Takes due events; returns a reason to stop the run, or null with <see cref="nextEventAt"/> in the future.</summary>
    private StopReason? ServiceEvents()
    {
        while (true)
        {
            long now = InstructionsRetired;
            if (interruptShadowRequested)
            {
                interruptShadowRequested = false;
                interruptShadowEnd = now + 1;
            }

            if (Timer.Poll())
            {
                MarkPending(Timer.Vector);
            }

            while (injections.Count > 0 && injections[0].At <= now)
            {
                MarkPending(injections[0].Vector);
                injections.RemoveAt(0);
            }

            bool interruptsEnabled = (flagBits & RFlags.IF) != 0;
            if (pendingCount > 0 && interruptsEnabled && now >= interruptShadowEnd)
            {
                byte vector = TakeHighestPending();
                halted = false; // the frame saves the RIP after HLT
                if (Idtr.Limit == 0)
                {
                    LastFault = new GuestFaultException((ExceptionVector)vector);
                    return StopReason.Fault;
                }

                if (!delivery.Deliver(new InterruptEvent(vector, null, EventSource.External, Rip), out _))
                {
                    return StopReason.TripleFault;
                }

                continue;
            }

            if (halted)
            {
                if (interruptsEnabled && injections.Count > 0)
                {
                    // Nothing retires while halted, so an interrupt due at a later count arrives now.
                    MarkPending(injections[0].Vector);
                    injections.RemoveAt(0);
                    continue;
                }

                if (interruptsEnabled && Timer.Enabled)
                {
                    Timer.IdleToExpiry();
                    continue;
                }

                halted = false;
                return StopReason.Halted;
            }

            long next = long.MaxValue;
            if (Timer.Enabled)
            {
                next = now + Math.Min(Timer.InstructionsToExpiry(), long.MaxValue - now);
            }

            if (injections.Count > 0)
            {
                next = Math.Min(next, injections[0].At);
            }

            if (pendingCount > 0 && interruptsEnabled)
            {
                next = Math.Min(next, interruptShadowEnd);
            }

            nextEventAt = next;
            return null;
        }
    }

    private void MarkPending(byte vector)
    {
        ref ulong word = ref pendingVectors[vector >> 6];
        ulong bit = 1UL << (vector & 63);
        if ((word & bit) == 0)
        {
            word |= bit;
            pendingCount++;
        }
    }

    /// <summary>The highest pending vector has the highest priority (APIC priority classes follow the vector).</summary>
    private byte TakeHighestPending()
    {
        for (int w = pendingVectors.Length - 1; w >= 0; w--)
        {
            if (pendingVectors[w] != 0)
            {
                int bit = 63 - System.Numerics.BitOperations.LeadingZeroCount(pendingVectors[w]);
                pendingVectors[w] &= ~(1UL << bit);
                pendingCount--;
                return (byte)((w * 64) + bit);
            }
        }

        throw new InvalidOperationException("no pending interrupt");
    }

    /// <summary>
    /// Delivers an exception that unwound the run loop through the IDT. Returns a stop reason when there is
    /// no IDT (today's behaviour: the run ends with <see cref="StopReason.Fault"/> at the faulting
    /// instruction) or the processor shut down; null when the handler is about to run.
    /// </summary>
    private StopReason? TakeException(GuestFaultException fault)
    {
        ulong nextIp = RecoverFaultingInstruction();
        if (fault.IsNonCanonical && ReferencesStack(fault.FaultAddress))
        {
            fault = new GuestFaultException(ExceptionVector.StackFault, 0);
        }

        bool software = fault.IsSoftwareInterrupt;
        bool fetch = fault.Vector == ExceptionVector.PageFault && (fault.ErrorCode & KmlSim.Memory.PageFaultErrorCode.InstructionFetch) != 0 && fault.FaultAddress == Rip;
        if (fetch && Idtr.Limit != 0 && HostCalls is { } kernel && kernel.ServeFetchFault(this, Rip))
        {
            return null;
        }

        if (fault.Vector == ExceptionVector.PageFault && !software)
        {
            Cr2 = fault.FaultAddress;
        }

        if (Idtr.Limit == 0)
        {
            LastFault = fault;
            return StopReason.Fault;
        }

        var e = new InterruptEvent((byte)fault.Vector, fault.ErrorCode, software ? EventSource.Software : EventSource.Exception, software ? nextIp : Rip);
        if (!delivery.Deliver(e, out bool delivered))
        {
            return StopReason.TripleFault;
        }

        if (software && delivered)
        {
            InstructionsRetired++; // INT n is a trap: it retired before its handler runs
        }

        return null;
    }
}
