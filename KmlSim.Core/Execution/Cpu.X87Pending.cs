using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Interrupts;

namespace KmlSim.Execution;

/// <summary>
/// Unmasked x87 exceptions (AMD64 APM vol. 1, §6.4.4): an instruction that raises an exception its FCW
/// mask bit does not mask sets the flag (FSW.ES and FSW.B follow), and the next waiting x87 instruction (FWAIT and
/// every x87 instruction but FNINIT, FNCLEX, FNSTCW, FNSTSW, FNSTENV, FNSAVE; FXSAVE and FXRSTOR do not
/// wait either) raises #MF before it executes. While such an exception is pending the run loop retires one
/// instruction at a time (as for TF) and checks the next one; with every exception masked, the Linux
/// default, it costs nothing.
/// </summary>
public sealed partial class Cpu
{
    private static readonly bool[] WaitsForX87 = BuildWaitingX87Table();

    /// <summary>True while an unmasked x87 exception flag is set (an #MF is due at the next waiting instruction).</summary>
    private bool X87ExceptionPending => (Fsw & ~Fcw & 0x3F) != 0;

    /// <summary>FSW's flags or FCW's masks changed: a pending exception (ES and B, as <see cref="FpuStatusWord"/> derives them) makes the loop check each instruction.</summary>
    private void X87ExceptionsChanged()
    {
        if (X87ExceptionPending)
        {
            StartSingleStepping();
        }
    }

    /// <summary>#MF when an x87 exception is pending and the instruction about to execute waits for it.</summary>
    private void CheckPendingX87(in DecodedInstruction next)
    {
        if (X87ExceptionPending && WaitsForX87[(int)next.Code])
        {
            currentBlock = null; // nothing of the block retired: RIP is the waiting instruction
            throw new GuestFaultException(ExceptionVector.X87FloatingPoint);
        }
    }

    private static bool[] BuildWaitingX87Table()
    {
        var table = new bool[Enum.GetValues<Code>().Length];
        for (int c = 0; c < table.Length; c++)
        {
            Mnemonic m = ((Code)c).Mnemonic();
            bool x87 = m.ToString().StartsWith('F') && m is not (Mnemonic.Fxsave or Mnemonic.Fxsave64 or Mnemonic.Fxrstor or Mnemonic.Fxrstor64 or Mnemonic.Femms);
            bool noWait = m is Mnemonic.Fninit or Mnemonic.Fnclex or Mnemonic.Fnstcw or Mnemonic.Fnstsw or Mnemonic.Fnstenv or Mnemonic.Fnsave;
            table[c] = m == Mnemonic.Wait || (x87 && !noWait);
        }

        return table;
    }
}
