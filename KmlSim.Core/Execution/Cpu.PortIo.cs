using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Interrupts;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// IN, OUT, INS and OUTS (AMD64 APM vol. 3; the protection rules of vol. 2, §13.3). Above IOPL the TSS's
/// I/O permission bitmap decides, and every port whose bit is outside the TSS limit is refused: #GP(0).
/// Linux's TSS has no bitmap for a process that never called ioperm, so a user process always gets #GP
/// (SIGSEGV, si_code SI_KERNEL). Code allowed to do I/O (a ring-0 KML process) meets no device on this
/// machine: IN reads all ones, as from a port nothing answers, and OUT goes nowhere.
/// </summary>
public sealed unsafe partial class Cpu
{
    internal static void RegisterPortIo(HandlerTable table)
    {
        table.Add(Mnemonic.In, &In);
        table.Add(Mnemonic.Out, &Out);
        table.Add(Mnemonic.Insb, &Ins);
        table.Add(Mnemonic.Insw, &Ins);
        table.Add(Mnemonic.Insd, &Ins);
        table.Add(Mnemonic.Outsb, &Outs);
        table.Add(Mnemonic.Outsw, &Outs);
        table.Add(Mnemonic.Outsd, &Outs);
    }

    /// <summary>Bytes of the access: INSB/OUTSB and the AL forms 1, the word forms 2, the rest 4.</summary>
    private static int PortSize(Code code) => code switch
    {
        Code.In_AL_imm8 or Code.In_AL_DX or Code.Out_imm8_AL or Code.Out_DX_AL or Code.Insb_m8_DX or Code.Outsb_DX_m8 => 1,
        Code.In_AX_imm8 or Code.In_AX_DX or Code.Out_imm8_AX or Code.Out_DX_AX or Code.Insw_m16_DX or Code.Outsw_DX_m16 => 2,
        _ => 4,
    };

    /// <summary>#GP(0) unless CPL ≤ IOPL or the TSS's I/O permission bitmap clears every bit of the ports accessed.</summary>
    private void CheckPortAccess(ushort port, int size)
    {
        if (Cpl <= (int)((Rflags & RFlags.IOPL) >> 12))
        {
            return;
        }

        ulong bitmap = TaskRegister == 0 || TssLimit < TaskStateSegment.IoMapBaseOffset + 1
            ? ulong.MaxValue
            : (ushort)Mmu.ReadAs(TssBase + TaskStateSegment.IoMapBaseOffset, 2, false);
        ulong first = bitmap + (ulong)(port >> 3);
        ulong last = bitmap + (ulong)((port + size - 1) >> 3);
        if (bitmap == ulong.MaxValue || last > TssLimit)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }

        ulong bits = Mmu.ReadAs(TssBase + first, (int)(last - first) + 1, false) >> (port & 7);
        if ((bits & ((1UL << size) - 1)) != 0)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }
    }

    /// <summary>The port of IN/OUT: the immediate byte, or DX.</summary>
    private ushort PortOf(ref DecodedInstruction d) => d.Code is Code.In_AL_imm8 or Code.In_AX_imm8 or Code.In_EAX_imm8 or Code.Out_imm8_AL or Code.Out_imm8_AX or Code.Out_imm8_EAX
        ? (ushort)d.Immediate
        : (ushort)R[(int)Gpr.Rdx];

    private static void In(Cpu cpu, ref DecodedInstruction d)
    {
        int size = PortSize(d.Code);
        cpu.CheckPortAccess(cpu.PortOf(ref d), size);
        cpu.WriteGpr(0, size, ulong.MaxValue); // no device answers
    }

    private static void Out(Cpu cpu, ref DecodedInstruction d)
    {
        int size = PortSize(d.Code);
        cpu.CheckPortAccess(cpu.PortOf(ref d), size);
    }

    /// <summary>INS (REP too): each element read from the port (all ones) is stored at [ES:rDI], which moves by DF.</summary>
    private static void Ins(Cpu cpu, ref DecodedInstruction d)
    {
        int size = PortSize(d.Code);
        cpu.CheckPortAccess((ushort)cpu.R[(int)Gpr.Rdx], size);
        ulong step = cpu.StringStep(size);
        bool repeat = Repeats(ref d);
        for (ulong count = repeat ? cpu.StringRegister((int)Gpr.Rcx, ref d) : 1; count != 0; count--)
        {
            cpu.Mmu.Write(cpu.StringRegister((int)Gpr.Rdi, ref d), ulong.MaxValue, size);
            cpu.AdvanceString((int)Gpr.Rdi, ref d, step);
            if (repeat)
            {
                cpu.SetStringRegister((int)Gpr.Rcx, ref d, count - 1);
            }
        }
    }

    /// <summary>OUTS (REP too): each element is read from [seg:rSI], which moves by DF, and goes nowhere.</summary>
    private static void Outs(Cpu cpu, ref DecodedInstruction d)
    {
        int size = PortSize(d.Code);
        cpu.CheckPortAccess((ushort)cpu.R[(int)Gpr.Rdx], size);
        ulong step = cpu.StringStep(size);
        bool repeat = Repeats(ref d);
        for (ulong count = repeat ? cpu.StringRegister((int)Gpr.Rcx, ref d) : 1; count != 0; count--)
        {
            cpu.Mmu.Read(cpu.StringSource(ref d), size);
            cpu.AdvanceString((int)Gpr.Rsi, ref d, step);
            if (repeat)
            {
                cpu.SetStringRegister((int)Gpr.Rcx, ref d, count - 1);
            }
        }
    }
}
