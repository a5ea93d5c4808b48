using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Interrupts;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// System and miscellaneous instructions: CPUID, RDTSC, HLT, flag instructions, PUSHF/POPF, and the hints
/// that do nothing architecturally (NOP, PAUSE, ENDBR64, fences, prefetches).
/// </summary>
public sealed unsafe partial class Cpu
{
    /// <summary>MSR STAR.</summary>
    public ulong Star;

    /// <summary>MSR LSTAR: the 64-bit SYSCALL target.</summary>
    public ulong Lstar;

    /// <summary>MSR CSTAR: the compatibility-mode SYSCALL target.</summary>
    public ulong Cstar;

    /// <summary>MSR SFMASK: RFLAGS bits SYSCALL clears.</summary>
    public ulong Sfmask;

    internal static void RegisterSystem(HandlerTable table)
    {
        foreach (Mnemonic m in new[]
        {
            Mnemonic.Nop, Mnemonic.Pause, Mnemonic.Endbr64, Mnemonic.Endbr32, Mnemonic.Rdsspd, Mnemonic.Rdsspq, Mnemonic.Reservednop, Mnemonic.Lfence, Mnemonic.Mfence, Mnemonic.Sfence,
            Mnemonic.Prefetchnta, Mnemonic.Prefetcht0, Mnemonic.Prefetcht1, Mnemonic.Prefetcht2, Mnemonic.Prefetch,
            Mnemonic.Prefetchw, Mnemonic.Wait,
        })
        {
            table.Add(m, &NoOperation);
        }

        table.Add(Mnemonic.Cpuid, &Cpuid);
        table.Add(Mnemonic.Rdtsc, &Rdtsc);
        table.Add(Mnemonic.Hlt, &Hlt);
        table.Add(Mnemonic.Cld, &Cld);
        table.Add(Mnemonic.Std, &Std);
        table.Add(Mnemonic.Clc, &Clc);
        table.Add(Mnemonic.Stc, &Stc);
        table.Add(Mnemonic.Cmc, &Cmc);
        table.Add(Mnemonic.Pushfq, &Pushfq);
        table.Add(Mnemonic.Popfq, &Popfq);
    }

    private static void NoOperation(Cpu cpu, ref DecodedInstruction d)
    {
        // Memory-operand NOPs and prefetches do not access memory and cannot fault. The CET encodings
        // (ENDBR, RDSSP) fall in the 0F 1E hint-NOP space, which is what they are on a K8: RDSSP leaves
        // its register unchanged, as libgcc's unwinder expects on a CPU without shadow stacks.
    }

    private static void Cpuid(Cpu cpu, ref DecodedInstruction d)
    {
        (uint eax, uint ebx, uint ecx, uint edx) = CpuidTable.Query((uint)cpu.R[0]);
        cpu.R[0] = eax;
        cpu.R[3] = ebx;
        cpu.R[1] = ecx;
        cpu.R[2] = edx;
    }

    private static void Rdtsc(Cpu cpu, ref DecodedInstruction d)
    {
        if ((cpu.Cr4 & ControlRegisters.Cr4Tsd) != 0 && cpu.Cpl != 0)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }

        ulong tsc = cpu.ReadTimeStampCounter();
        cpu.R[0] = (uint)tsc;
        cpu.R[2] = tsc >> 32;
    }

    private static void Hlt(Cpu cpu, ref DecodedInstruction d)
    {
        if (cpu.Cpl != 0)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }

        cpu.Halt();
    }

    private static void Cld(Cpu cpu, ref DecodedInstruction d) => cpu.Rflags &= ~RFlags.DF;

    private static void Std(Cpu cpu, ref DecodedInstruction d) => cpu.Rflags |= RFlags.DF;

    private static void Clc(Cpu cpu, ref DecodedInstruction d) => cpu.Rflags &= ~RFlags.CF;

    private static void Stc(Cpu cpu, ref DecodedInstruction d) => cpu.Rflags |= RFlags.CF;

    private static void Cmc(Cpu cpu, ref DecodedInstruction d) => cpu.Rflags ^= RFlags.CF;

    private static void Pushfq(Cpu cpu, ref DecodedInstruction d) => cpu.Push64(cpu.Rflags & ~RFlags.RF);

    private static void Popfq(Cpu cpu, ref DecodedInstruction d)
    {
        ulong value = cpu.Pop64();
        ulong writable = RFlags.Writable & ~RFlags.RF;
        int iopl = (int)((cpu.Rflags & RFlags.IOPL) >> 12);
        if (cpu.Cpl != 0)
        {
            writable &= ~RFlags.IOPL; // only CPL 0 may change IOPL
        }

        if (cpu.Cpl > iopl)
        {
            writable &= ~RFlags.IF; // IF is silently kept when CPL > IOPL
        }

        ulong before = cpu.Rflags;
        cpu.Rflags = (before & ~writable) | (value & writable) | RFlags.Reserved1;
        if ((value & writable & ~before & RFlags.IF) != 0)
        {
            cpu.ScheduleEventCheck(); // a pending interrupt may now be taken
        }
    }
}
