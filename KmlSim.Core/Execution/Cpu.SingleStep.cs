using KmlSim.Interrupts;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// The single-step trap (AMD64 APM vol. 2, §13.1.4): an instruction that begins with RFLAGS.TF set raises
/// #DB as a trap once it completes (the frame saves the next RIP). TF set by POPF, IRETQ or SYSRET therefore
/// traps after the instruction that follows. Every write of RFLAGS that sets TF makes the run loop retire
/// one instruction at a time until TF is clear again (a pending x87 exception and alignment checking step
/// the same way, see <see cref="CheckPendingX87"/> and <see cref="CheckAlignment"/>), so the loop pays
/// nothing while TF is clear. An
/// instruction that changes the privilege level (SYSCALL, SYSRET) gets no trap here: where the trap then
/// belongs is a debugger's question this machine does not model.
/// </summary>
public sealed partial class Cpu
{
    private bool singleStepping; // TF was set: the run loop retires one instruction per block until it is clear
    private long stepTrapAt = -1; // the retired count at which the instruction that began with TF set completes
    private int stepCpl;

    /// <summary>TF was written as 1: leave the current block and step from the next instruction on.</summary>
    private void StartSingleStepping()
    {
        if (!singleStepping)
        {
            singleStepping = true;
            attention = true;
            breakBlock = true;
        }
    }

    /// <summary>The run loop's bound for the next block: one instruction while TF is set (noting that it traps).</summary>
    private long StepLimit(long limit)
    {
        if (!singleStepping)
        {
            return limit;
        }

        bool trap = (flagBits & RFlags.TF) != 0;
        if (!trap && !X87ExceptionPending && !AlignmentChecking)
        {
            singleStepping = false;
            stepTrapAt = -1;
            return limit;
        }

        stepTrapAt = trap ? InstructionsRetired + 1 : -1;
        stepCpl = Cpl;
        return Math.Min(limit, InstructionsRetired + 1);
    }

    /// <summary>Delivers the #DB trap of an instruction that began with TF set and has completed; a stop reason when there is no IDT or the processor shut down.</summary>
    private StopReason? SingleStepTrap()
    {
        if (stepTrapAt != InstructionsRetired)
        {
            return null;
        }

        stepTrapAt = -1;
        if (Cpl != stepCpl)
        {
            return null;
        }

        if (Idtr.Limit == 0)
        {
            LastFault = new GuestFaultException(ExceptionVector.Debug);
            return StopReason.Fault;
        }

        return delivery.Deliver(new InterruptEvent((byte)ExceptionVector.Debug, null, EventSource.Exception, Rip), out _) ? null : StopReason.TripleFault;
    }
}
