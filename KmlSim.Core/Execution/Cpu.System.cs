using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Interrupts;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// System and miscellaneous instructions: CPUID, RDTSC, SYSCALL, HLT, flag instructions, PUSHF/POPF,
/// INT3, and the hints that do nothing architecturally (NOP, PAUSE, ENDBR64, fences, prefetches).
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
        table.Add(Mnemonic.Syscall, &Syscall);
        table.Add(Mnemonic.Hlt, &Hlt);
        table.Add(Mnemonic.Int3, &Int3);
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
        ulong tsc = cpu.TimeStampSource?.Invoke() ?? (ulong)cpu.InstructionsRetired;
        cpu.R[0] = (uint)tsc;
        cpu.R[2] = tsc >> 32;
    }

    private static void Syscall(Cpu cpu, ref DecodedInstruction d)
    {
        if (cpu.SyscallExits)
        {
            // Host-serviced system call: registers as the hardware would leave them at the kernel entry.
            cpu.R[1] = cpu.Rip;
            cpu.R[11] = cpu.Rflags;
            cpu.Stop(StopReason.Syscall);
            return;
        }

        if ((cpu.Efer & Msr.EferSce) == 0)
        {
            throw new GuestFaultException(ExceptionVector.InvalidOpcode);
        }

        // AMD64 APM vol. 3, SYSCALL (64-bit mode): RCX = next RIP, R11 = RFLAGS with RF cleared,
        // RFLAGS &= ~SFMASK, CS = STAR[47:32], SS = STAR[47:32] + 8, CPL 0, RIP = LSTAR.
        cpu.R[1] = cpu.Rip;
        cpu.R[11] = cpu.Rflags & ~RFlags.RF;
        cpu.Rflags = (cpu.Rflags & ~cpu.Sfmask & ~RFlags.RF) | RFlags.Reserved1;
        ushort selector = (ushort)((cpu.Star >> 32) & 0xFFFC);
        cpu.Selectors[1] = selector;
        cpu.Selectors[2] = (ushort)(selector + 8);
        cpu.Cpl = 0;
        cpu.Rip = cpu.Lstar;
        cpu.breakBlock = true;
    }

    private static void Hlt(Cpu cpu, ref DecodedInstruction d)
    {
        if (cpu.Cpl != 0)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }

        cpu.Stop(StopReason.Halted);
    }

    private static void Int3(Cpu cpu, ref DecodedInstruction d) => throw new GuestFaultException(ExceptionVector.Breakpoint);

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

        cpu.Rflags = (cpu.Rflags & ~writable) | (value & writable) | RFlags.Reserved1;
    }
}
