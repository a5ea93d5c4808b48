using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Interrupts;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// RDMSR and WRMSR (AMD64 APM vol. 3): CPL 0 only, ECX selects the MSR, EDX:EAX holds the value. The
/// machine has the MSRs a Linux kernel needs on entry and exit paths (<see cref="Msr"/>); any other
/// number raises #GP(0), as do writes of reserved bits or of non-canonical addresses.
/// </summary>
public sealed unsafe partial class Cpu
{
    // EFER bits the K8 implements: SCE, LME, LMA, NXE (no FFXSR: CPUID 8000_0001h EDX bit 25 is clear).
    private const ulong EferImplemented = Msr.EferSce | Msr.EferLme | Msr.EferLma | Msr.EferNxe;

    private long timeStampOffset;

    internal static void RegisterMsr(HandlerTable table)
    {
        table.Add(Mnemonic.Rdmsr, &Rdmsr);
        table.Add(Mnemonic.Wrmsr, &Wrmsr);
    }

    /// <summary>
    /// The time-stamp counter: <see cref="TimeStampSource"/> (else the local timer's clock: retired instructions and
    /// the ticks spent halted, as a constant-rate TSC keeps counting in HLT) plus what WRMSR set. It is the clock
    /// the kernel's time calls read, so the vDSO's user-mode clocks agree with them.
    /// </summary>
    internal ulong ReadTimeStampCounter() => (TimeStampSource?.Invoke() ?? (ulong)Timer.Clock.Now) + (ulong)timeStampOffset;

    /// <summary>Reads an MSR as RDMSR does; null for an MSR this machine does not have.</summary>
    public ulong? ReadMsr(uint index) => index switch
    {
        Msr.Tsc => ReadTimeStampCounter(),
        Msr.Efer => Efer,
        Msr.Star => Star,
        Msr.Lstar => Lstar,
        Msr.Cstar => Cstar,
        Msr.Sfmask => Sfmask,
        Msr.FsBase => FsBase,
        Msr.GsBase => GsBase,
        Msr.KernelGsBase => KernelGsBase,
        _ => null,
    };

    /// <summary>Writes an MSR as WRMSR does; false (the #GP(0) case) for an unknown MSR or a value it refuses.</summary>
    public bool WriteMsr(uint index, ulong value)
    {
        switch (index)
        {
            case Msr.Tsc:
                timeStampOffset = (long)(value - ReadTimeStampCounter() + (ulong)timeStampOffset);
                return true;
            case Msr.Efer:
                // LMA is read-only (the processor sets it); LME cannot change while paging is on.
                if ((value & ~EferImplemented) != 0 || ((value ^ Efer) & Msr.EferLme) != 0)
                {
                    return false;
                }

                Efer = (value & ~Msr.EferLma) | (Efer & Msr.EferLma);
                return true;
            case Msr.Star:
                Star = value;
                return true;
            case Msr.Sfmask:
                if ((value >> 32) != 0)
                {
                    return false; // bits 63:32 are reserved
                }

                Sfmask = value;
                return true;
            case Msr.Lstar or Msr.Cstar or Msr.FsBase or Msr.GsBase or Msr.KernelGsBase:
                if (!KmlSim.Memory.Mmu.IsCanonical(value))
                {
                    return false;
                }

                switch (index)
                {
                    case Msr.Lstar: Lstar = value; break;
                    case Msr.Cstar: Cstar = value; break;
                    case Msr.FsBase: FsBase = value; break;
                    case Msr.GsBase: GsBase = value; break;
                    default: KernelGsBase = value; break;
                }

                return true;
            default:
                return false;
        }
    }

    private static void Rdmsr(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.RequireCpl0();
        ulong value = cpu.ReadMsr((uint)cpu.R[1]) ?? throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        cpu.R[0] = (uint)value;
        cpu.R[2] = value >> 32;
    }

    private static void Wrmsr(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.RequireCpl0();
        ulong value = ((ulong)(uint)cpu.R[2] << 32) | (uint)cpu.R[0];
        if (!cpu.WriteMsr((uint)cpu.R[1], value))
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }

        cpu.breakBlock = true; // EFER.NXE or the GS base may change how the next instructions run
    }
}
