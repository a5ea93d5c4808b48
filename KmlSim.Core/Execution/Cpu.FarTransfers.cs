using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Memory;

namespace KmlSim.Execution;

/// <summary>
/// Privilege-changing control transfers of 64-bit mode (AMD64 APM vol. 3): SYSCALL, SYSRET, IRETQ and the
/// software interrupts INT n and INT3. Compatibility mode is not modelled, so the transfers that would
/// enter it (SYSRET without REX.W, IRET to a code segment without L) are refused as described per handler.
/// </summary>
public sealed unsafe partial class Cpu
{
    internal static void RegisterFarTransfers(HandlerTable table)
    {
        table.Add(Mnemonic.Syscall, &Syscall);
        table.Add(Code.Sysretq, &Sysret);
        table.Add(Code.Iretq, &Iretq);
        table.Add(Code.Int_imm8, &SoftwareInterrupt);
        table.Add(Mnemonic.Int3, &Int3);
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

        if (cpu.TryCallSyscallEntry())
        {
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
        cpu.SyscallInstructions++;
        cpu.breakBlock = true;
    }

    /// <summary>
    /// SYSRET with REX.W (APM vol. 3, SYSRET): #UD when EFER.SCE is clear, #GP(0) above CPL 0; CS =
    /// (STAR[63:48] + 16) | 3, SS = (STAR[63:48] + 8) | 3, CPL 3, RFLAGS = R11 (RF and VM cleared, the
    /// reserved bits as the architecture fixes them), RIP = RCX; RSP is untouched. AMD processors do not
    /// check RCX: a non-canonical RCX is loaded and the #GP comes from fetching it, at CPL 3, so it is
    /// delivered on the RSP0 stack with a user frame (unlike Intel's #GP in ring 0 on the user stack).
    /// The 32-bit form (return to compatibility mode) is not implemented and stays #UD.
    /// </summary>
    private static void Sysret(Cpu cpu, ref DecodedInstruction d)
    {
        if ((cpu.Efer & Msr.EferSce) == 0)
        {
            throw new GuestFaultException(ExceptionVector.InvalidOpcode);
        }

        if (cpu.Cpl != 0)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }

        ushort selectorBase = (ushort)(cpu.Star >> 48);
        cpu.Selectors[1] = (ushort)((selectorBase + 16) | 3);
        cpu.Selectors[2] = (ushort)((selectorBase + 8) | 3);
        cpu.Rflags = (cpu.R[11] & RFlags.Writable & ~RFlags.RF) | RFlags.Reserved1;
        cpu.Cpl = 3;
        cpu.Rip = cpu.R[1];
        cpu.SysretInstructions++;
        cpu.ScheduleEventCheck(); // IF may now be set
    }

    /// <summary>
    /// IRETQ in 64-bit mode (APM vol. 3, IRET; vol. 2, §8.9.7): pops RIP, CS, RFLAGS, RSP, SS (always all
    /// five), checks the code and stack selectors, and on a return to an outer level nulls the data segment
    /// registers the new CPL may not use. RFLAGS follows POPF's rules at the old CPL: IOPL only at CPL 0,
    /// IF only when CPL ≤ IOPL. NT = 1 (a task return) raises #GP(0): long mode has no task switching.
    /// A code segment without the L bit would enter compatibility mode, which is not modelled: #GP(selector).
    /// </summary>
    private static void Iretq(Cpu cpu, ref DecodedInstruction d)
    {
        if ((cpu.Rflags & RFlags.NT) != 0)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }

        ulong rsp = cpu.R[4];
        ulong rip = cpu.Mmu.Read64(rsp);
        ushort cs = (ushort)cpu.Mmu.Read64(rsp + 8);
        ulong rflags = cpu.Mmu.Read64(rsp + 16);
        ulong newRsp = cpu.Mmu.Read64(rsp + 24);
        ushort ss = (ushort)cpu.Mmu.Read64(rsp + 32);

        int newCpl = SegmentSelector.Rpl(cs);
        CheckReturnCodeSegment(cpu, cs, newCpl);
        if (!Mmu.IsCanonical(rip))
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }

        CheckReturnStackSegment(cpu, ss, newCpl);
        ulong writable = RFlags.Writable;
        int iopl = (int)((cpu.Rflags & RFlags.IOPL) >> 12);
        if (cpu.Cpl != 0)
        {
            writable &= ~RFlags.IOPL;
        }

        if (cpu.Cpl > iopl)
        {
            writable &= ~RFlags.IF;
        }

        Span<ushort> data = [cpu.Selectors[0], cpu.Selectors[3], cpu.Selectors[4], cpu.Selectors[5]];
        if (newCpl > cpu.Cpl)
        {
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = UsableAtOuterLevel(cpu, data[i], newCpl) ? data[i] : (ushort)0;
            }
        }

        cpu.Rflags = (cpu.Rflags & ~writable) | (rflags & writable) | RFlags.Reserved1;
        cpu.Selectors[0] = data[0];
        cpu.Selectors[3] = data[1];
        cpu.Selectors[4] = data[2];
        cpu.Selectors[5] = data[3];
        cpu.Selectors[1] = cs;
        cpu.Selectors[2] = ss;
        cpu.R[4] = newRsp;
        cpu.Cpl = newCpl;
        cpu.Rip = rip;
        cpu.ScheduleEventCheck(); // IF may now be set
    }

    private static void CheckReturnCodeSegment(Cpu cpu, ushort cs, int newCpl)
    {
        if (SegmentSelector.IsNull(cs))
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }

        uint error = SegmentSelector.ErrorCode(cs, false);
        (SegmentDescriptor code, _) = cpu.ReadDescriptor(cs, false);
        bool privilegeOk = newCpl >= cpu.Cpl && (code.IsConforming ? code.Dpl <= newCpl : code.Dpl == newCpl);
        if (!code.IsCode || !privilegeOk || !code.Is64BitCode)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, error);
        }

        if (!code.Present)
        {
            throw new GuestFaultException(ExceptionVector.SegmentNotPresent, error);
        }
    }

    /// <summary>SS for IRETQ: a null selector is allowed when returning to CPL 0-2 with RPL = the new CPL.</summary>
    private static void CheckReturnStackSegment(Cpu cpu, ushort ss, int newCpl)
    {
        if (SegmentSelector.IsNull(ss))
        {
            if (newCpl == 3 || SegmentSelector.Rpl(ss) != newCpl)
            {
                throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
            }

            return;
        }

        uint error = SegmentSelector.ErrorCode(ss, false);
        (SegmentDescriptor stack, _) = cpu.ReadDescriptor(ss, false);
        if (SegmentSelector.Rpl(ss) != newCpl || !stack.IsWritableData || stack.Dpl != newCpl)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, error);
        }

        if (!stack.Present)
        {
            throw new GuestFaultException(ExceptionVector.StackFault, error);
        }
    }

    /// <summary>A data selector survives a return to an outer level unless its segment is more privileged than the new CPL.</summary>
    private static bool UsableAtOuterLevel(Cpu cpu, ushort selector, int newCpl)
    {
        if (SegmentSelector.IsNull(selector) || SegmentSelector.IsLocal(selector) || (ulong)(selector & 0xFFF8) + 7 > cpu.Gdtr.Limit)
        {
            return SegmentSelector.IsNull(selector);
        }

        (SegmentDescriptor descriptor, _) = cpu.ReadDescriptor(selector, false);
        return descriptor.IsConforming || descriptor.Dpl >= newCpl;
    }

    /// <summary>
    /// INT imm8: a trap through the IDT gate of the vector (the run loop delivers it and checks the gate's
    /// DPL). With no IDT loaded there is no gate, which is #GP(vector * 8 + 2) at the instruction, what a
    /// Linux kernel answers for the gates it leaves at DPL 0.
    /// </summary>
    private static void SoftwareInterrupt(Cpu cpu, ref DecodedInstruction d)
    {
        byte vector = (byte)d.Immediate;
        if (cpu.Idtr.Limit == 0)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, ((uint)vector * 8) + 2);
        }

        throw GuestFaultException.SoftwareInterrupt(vector);
    }

    private static void Int3(Cpu cpu, ref DecodedInstruction d) => throw GuestFaultException.SoftwareInterrupt((byte)ExceptionVector.Breakpoint);
}
