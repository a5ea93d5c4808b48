using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// Data movement: MOV, MOVZX, MOVSX(D), LEA, XCHG, XADD, CMPXCHG, CMOVcc, SETcc, the sign-extension
/// family (CBW/CWDE/CDQE, CWD/CDQ/CQO), PUSH and POP.
/// </summary>
public sealed unsafe partial class Cpu
{
    internal static void RegisterDataMovement(HandlerTable table)
    {
        table.Add(Mnemonic.Mov, &Mov);
        table.Add(Mnemonic.Movzx, &Movzx);
        table.Add(Mnemonic.Movsx, &Movsx);
        table.Add(Mnemonic.Movsxd, &Movsx);
        table.Add(Mnemonic.Lea, &Lea);
        table.Add(Mnemonic.Xchg, &Xchg);
        table.Add(Mnemonic.Xadd, &Xadd);
        table.Add(Mnemonic.Cmpxchg, &Cmpxchg);
        foreach (Mnemonic m in new[]
        {
            Mnemonic.Cmovo, Mnemonic.Cmovno, Mnemonic.Cmovb, Mnemonic.Cmovae, Mnemonic.Cmove, Mnemonic.Cmovne,
            Mnemonic.Cmovbe, Mnemonic.Cmova, Mnemonic.Cmovs, Mnemonic.Cmovns, Mnemonic.Cmovp, Mnemonic.Cmovnp,
            Mnemonic.Cmovl, Mnemonic.Cmovge, Mnemonic.Cmovle, Mnemonic.Cmovg,
        })
        {
            table.Add(m, &Cmovcc);
        }

        foreach (Mnemonic m in new[]
        {
            Mnemonic.Seto, Mnemonic.Setno, Mnemonic.Setb, Mnemonic.Setae, Mnemonic.Sete, Mnemonic.Setne,
            Mnemonic.Setbe, Mnemonic.Seta, Mnemonic.Sets, Mnemonic.Setns, Mnemonic.Setp, Mnemonic.Setnp,
            Mnemonic.Setl, Mnemonic.Setge, Mnemonic.Setle, Mnemonic.Setg,
        })
        {
            table.Add(m, &Setcc);
        }

        table.Add(Mnemonic.Cbw, &SignExtendAccumulator);
        table.Add(Mnemonic.Cwde, &SignExtendAccumulator);
        table.Add(Mnemonic.Cdqe, &SignExtendAccumulator);
        table.Add(Mnemonic.Cwd, &SignExtendIntoRdx);
        table.Add(Mnemonic.Cdq, &SignExtendIntoRdx);
        table.Add(Mnemonic.Cqo, &SignExtendIntoRdx);
        table.Add(Mnemonic.Push, &Push);
        table.Add(Mnemonic.Pop, &Pop);
        table.Add(Code.Push_r64, &PushRegister64);
        table.Add(Code.Pop_r64, &PopRegister64);
    }

    private static void Mov(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        cpu.Write0(ref d, address, cpu.Read1(ref d, address));
    }

    private static void Movzx(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        cpu.Write0(ref d, address, cpu.Read1(ref d, address));
    }

    private static void Movsx(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        cpu.Write0(ref d, address, (ulong)SignExtend(cpu.Read1(ref d, address), d.Size1));
    }

    private static void Lea(Cpu cpu, ref DecodedInstruction d)
    {
        // LEA computes the offset only: a segment override does not add the segment base.
        ulong address = d.Displacement;
        if (d.MemBase != DecodedInstruction.NoRegister)
        {
            address += cpu.R[d.MemBase];
        }

        if (d.MemIndex != DecodedInstruction.NoRegister)
        {
            address += cpu.R[d.MemIndex] * d.MemScale;
        }

        cpu.WriteGpr(d.Reg0, d.Size0, d.AddressSize == 4 ? (uint)address : address);
    }

    private static void Xchg(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        ulong a = cpu.Read0(ref d, address), b = cpu.Read1(ref d, address);
        if (d.Kind1 == OperandKind.Memory)
        {
            cpu.Write1(ref d, address, a);
            cpu.Write0(ref d, address, b);
        }
        else
        {
            cpu.Write0(ref d, address, b);
            cpu.Write1(ref d, address, a);
        }
    }

    private static void Xadd(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        ulong a = cpu.Read0(ref d, address), b = cpu.Read1(ref d, address);
        ulong sum = a + b;
        if (d.Kind0 == OperandKind.Memory)
        {
            cpu.Write0(ref d, address, sum); // memory first: it is the one that can fault
            cpu.Write1(ref d, address, a);
        }
        else
        {
            // Both registers: the destination is written last, so XADD r, r (one register) leaves the sum.
            cpu.Write1(ref d, address, a);
            cpu.Write0(ref d, address, sum);
        }

        cpu.FlagsAdd(a, b, sum, d.Size0);
    }

    private static void Cmpxchg(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        int size = d.Size0;
        ulong destination = cpu.Read0(ref d, address);
        ulong source = cpu.Read1(ref d, address);
        ulong accumulator = cpu.ReadGpr(0, size);
        if (accumulator == destination)
        {
            cpu.Write0(ref d, address, source);
        }
        else
        {
            // A memory destination is written back unchanged (the bus sees a write either way, so a
            // read-only page faults); a register destination is not written at all: on the (AMD) host a
            // 32-bit one keeps its upper half. The accumulator takes the destination; a 32-bit write
            // zero-extends RAX only in this case.
            if (d.Kind0 == OperandKind.Memory)
            {
                cpu.Write0(ref d, address, destination);
            }

            cpu.WriteGpr(0, size, destination);
        }

        cpu.FlagsSub(accumulator, destination, accumulator - destination, size);
    }

    private static void Cmovcc(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        ulong source = cpu.Read1(ref d, address); // the load happens (and can fault) whatever the condition
        if (cpu.Condition(d.Condition))
        {
            cpu.WriteGpr(d.Reg0, d.Size0, source);
        }
        else if (d.Size0 == 4)
        {
            cpu.R[d.Reg0] = (uint)cpu.R[d.Reg0]; // a 32-bit CMOV always zero-extends its destination
        }
    }

    private static void Setcc(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        cpu.Write0(ref d, address, cpu.Condition(d.Condition) ? 1UL : 0UL);
    }

    private static void SignExtendAccumulator(Cpu cpu, ref DecodedInstruction d)
    {
        switch (d.Code)
        {
            case Code.Cbw: cpu.WriteGpr(0, 2, (ulong)SignExtend(cpu.R[0], 1)); break;
            case Code.Cwde: cpu.WriteGpr(0, 4, (ulong)SignExtend(cpu.R[0], 2)); break;
            default: cpu.R[0] = (ulong)SignExtend(cpu.R[0], 4); break;
        }
    }

    private static void SignExtendIntoRdx(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.Code switch { Code.Cwd => 2, Code.Cdq => 4, _ => 8 };
        ulong sign = (cpu.ReadGpr(0, size) >> SignShift(size)) & 1;
        cpu.WriteGpr(2, size, sign == 0 ? 0 : ulong.MaxValue);
    }

    // Function prologues and epilogues: the register forms skip the generic operand decoding.
    private static void PushRegister64(Cpu cpu, ref DecodedInstruction d) => cpu.Push64(cpu.R[d.Reg0]);

    private static void PopRegister64(Cpu cpu, ref DecodedInstruction d)
    {
        ulong value = cpu.Pop64();
        cpu.R[d.Reg0] = value; // after Pop64's increment, so POP RSP loads the popped value
    }

    private static void Push(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        ulong value = d.Kind0 == OperandKind.Immediate ? d.Immediate : cpu.ReadOperand(d.Kind0, d.Reg0, d.Size0, ref d, address);
        if (d.Size0 == 2 && d.Kind0 != OperandKind.Segment)
        {
            ulong rsp = cpu.R[4] - 2;
            cpu.Mmu.Write16(rsp, (ushort)value);
            cpu.R[4] = rsp;
            return;
        }

        cpu.Push64(value);
    }

    private static void Pop(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.Size0 == 2 && d.Kind0 != OperandKind.Segment ? 2 : 8;
        ulong rsp = cpu.R[4];
        ulong value = cpu.Mmu.Read(rsp, size);
        // POP [rsp+x] addresses memory with RSP already incremented (AMD64 APM vol. 3, POP).
        cpu.R[4] = rsp + (ulong)size;
        try
        {
            ulong address = cpu.AddressIfMemory(ref d);
            cpu.WriteOperand(d.Kind0, d.Reg0, size == 8 && d.Kind0 == OperandKind.Segment ? 2 : size, address, value);
        }
        catch (Interrupts.GuestFaultException)
        {
            cpu.R[4] = rsp; // a faulting destination leaves RSP as it was
            throw;
        }
    }
}
