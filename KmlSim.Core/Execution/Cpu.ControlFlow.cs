using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Execution.Operands;

namespace KmlSim.Execution;

/// <summary>
/// Near control transfers: JMP, Jcc, CALL, RET, LOOP family, JRCXZ/JECXZ, ENTER, LEAVE. Targets of direct
/// branches were resolved at decode time (<see cref="DecodedInstruction.Immediate"/>); RIP is assigned last,
/// after every access that can fault.
/// </summary>
public sealed unsafe partial class Cpu
{
    internal static void RegisterControlFlow(HandlerTable table)
    {
        table.Add(Mnemonic.Jmp, &Jmp);
        table.Add(Code.Jmp_rel8_64, &JmpDirect);
        table.Add(Code.Jmp_rel32_64, &JmpDirect);
        table.Add(Mnemonic.Jo, &Jcc<OverflowCondition>);
        table.Add(Mnemonic.Jno, &Jcc<NotOverflowCondition>);
        table.Add(Mnemonic.Jb, &Jcc<BelowCondition>);
        table.Add(Mnemonic.Jae, &Jcc<AboveOrEqualCondition>);
        table.Add(Mnemonic.Je, &Jcc<EqualCondition>);
        table.Add(Mnemonic.Jne, &Jcc<NotEqualCondition>);
        table.Add(Mnemonic.Jbe, &Jcc<BelowOrEqualCondition>);
        table.Add(Mnemonic.Ja, &Jcc<AboveCondition>);
        table.Add(Mnemonic.Js, &Jcc<SignCondition>);
        table.Add(Mnemonic.Jns, &Jcc<NotSignCondition>);
        table.Add(Mnemonic.Jp, &Jcc<ParityCondition>);
        table.Add(Mnemonic.Jnp, &Jcc<NotParityCondition>);
        table.Add(Mnemonic.Jl, &Jcc<LessCondition>);
        table.Add(Mnemonic.Jge, &Jcc<GreaterOrEqualCondition>);
        table.Add(Mnemonic.Jle, &Jcc<LessOrEqualCondition>);
        table.Add(Mnemonic.Jg, &Jcc<GreaterCondition>);

        table.Add(Mnemonic.Call, &Call);
        table.Add(Code.Call_rel32_64, &CallDirect);
        table.Add(Mnemonic.Ret, &Ret);
        table.Add(Code.Retnq, &ReturnNear);
        table.Add(Mnemonic.Loop, &Loop);
        table.Add(Mnemonic.Loope, &Loop);
        table.Add(Mnemonic.Loopne, &Loop);
        table.Add(Mnemonic.Jrcxz, &Jrcxz);
        table.Add(Mnemonic.Jecxz, &Jrcxz);
        table.Add(Mnemonic.Enter, &Enter);
        table.Add(Mnemonic.Leave, &Leave);
    }

    private static void JmpDirect(Cpu cpu, ref DecodedInstruction d) => cpu.Rip = d.Immediate;

    private static void Jmp(Cpu cpu, ref DecodedInstruction d)
    {
        if (d.Kind0 == OperandKind.Immediate)
        {
            cpu.Rip = d.Immediate;
            return;
        }

        if (d.Size0 != 8)
        {
            throw new Interrupts.GuestFaultException(Interrupts.ExceptionVector.InvalidOpcode); // far JMP: not modelled
        }

        cpu.Rip = cpu.Read0(ref d, cpu.AddressIfMemory(ref d));
    }

    private static void Jcc<TCondition>(Cpu cpu, ref DecodedInstruction d)
        where TCondition : IConditionCode
    {
        if (cpu.Condition(TCondition.Code))
        {
            cpu.Rip = d.Immediate;
        }
    }

    private static void CallDirect(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.Push64(d.NextIp);
        cpu.Rip = d.Immediate;
    }

    private static void Call(Cpu cpu, ref DecodedInstruction d)
    {
        if (d.Kind0 != OperandKind.Immediate && d.Size0 != 8)
        {
            throw new Interrupts.GuestFaultException(Interrupts.ExceptionVector.InvalidOpcode); // far CALL: not modelled
        }

        ulong target = d.Kind0 == OperandKind.Immediate ? d.Immediate : cpu.Read0(ref d, cpu.AddressIfMemory(ref d));
        cpu.Push64(d.NextIp);
        cpu.Rip = target;
    }

    private static void ReturnNear(Cpu cpu, ref DecodedInstruction d) => cpu.Rip = cpu.Pop64();

    private static void Ret(Cpu cpu, ref DecodedInstruction d)
    {
        ulong target = cpu.Pop64();
        if (d.OpCount != 0)
        {
            cpu.R[4] += d.Immediate & 0xFFFF;
        }

        cpu.Rip = target;
    }

    private static void Loop(Cpu cpu, ref DecodedInstruction d)
    {
        ulong count;
        if (d.AddressSize == 4 || d.Code is Code.Loop_rel8_64_ECX or Code.Loope_rel8_64_ECX or Code.Loopne_rel8_64_ECX)
        {
            count = (uint)(cpu.R[1] - 1);
            cpu.R[1] = count;
        }
        else
        {
            count = --cpu.R[1];
        }

        bool taken = count != 0 && d.Code switch
        {
            Code.Loope_rel8_64_RCX or Code.Loope_rel8_64_ECX => (cpu.Rflags & Isa.RFlags.ZF) != 0,
            Code.Loopne_rel8_64_RCX or Code.Loopne_rel8_64_ECX => (cpu.Rflags & Isa.RFlags.ZF) == 0,
            _ => true,
        };
        if (taken)
        {
            cpu.Rip = d.Immediate;
        }
    }

    private static void Jrcxz(Cpu cpu, ref DecodedInstruction d)
    {
        ulong count = d.Code == Code.Jecxz_rel8_64 ? (uint)cpu.R[1] : cpu.R[1];
        if (count == 0)
        {
            cpu.Rip = d.Immediate;
        }
    }

    /// <summary>
    /// ENTER as the AMD64 APM vol. 3 defines it: every push (the old frame pointer, the outer frame pointers
    /// copied from [RBP - i*size], the new frame pointer) and the RBP write have the operand size, 8 bytes
    /// or 2 with a 66h prefix (which leaves RBP's upper 48 bits alone); addresses are always 64-bit.
    /// </summary>
    private static void Enter(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.Code == Code.Enterw_imm16_imm8 ? 2 : 8;
        ulong frameSize = d.Immediate & 0xFFFF;
        int level = (int)(d.Immediate2 & 31);
        ulong rsp = cpu.R[4] - (ulong)size;
        ulong rbp = cpu.R[5];
        cpu.Mmu.Write(rsp, rbp, size);
        ulong frame = rsp;
        for (int i = 1; i < level; i++)
        {
            rsp -= (ulong)size;
            cpu.Mmu.Write(rsp, cpu.Mmu.Read(rbp - ((ulong)i * (ulong)size), size), size);
        }

        if (level > 0)
        {
            rsp -= (ulong)size;
            cpu.Mmu.Write(rsp, frame, size);
        }

        rsp -= frameSize;
        cpu.R[5] = size == 8 ? frame : (rbp & ~0xFFFFUL) | (frame & 0xFFFF);
        cpu.R[4] = rsp;
    }

    /// <summary>LEAVE: RSP = RBP, then pop the operand-sized frame pointer (LEAVEW pops only BP).</summary>
    private static void Leave(Cpu cpu, ref DecodedInstruction d)
    {
        ulong rbp = cpu.R[5];
        if (d.Code == Code.Leavew)
        {
            ulong saved16 = cpu.Mmu.Read16(rbp);
            cpu.R[4] = rbp + 2;
            cpu.R[5] = (rbp & ~0xFFFFUL) | saved16;
            return;
        }

        ulong saved = cpu.Mmu.Read64(rbp);
        cpu.R[4] = rbp + 8;
        cpu.R[5] = saved;
    }
}
