using Iced.Intel;

namespace KmlSim.Tests.Execution;

/// <summary>
/// One instance of any legacy or 3DNow! <see cref="Code"/> with simple operands of the kinds its opcode
/// takes: RBX-family registers (never RSP), MM1, XMM1, ST(1), CR2, DR0, memory at [RSI + 10h], the string
/// operands at [RSI]/[RDI], small immediates and branch targets just after the instruction.
/// </summary>
internal static class CoverageOperands
{
    private const int Displacement = 0x10;

    public static Instruction Create(Code code, ulong address)
    {
        OpCodeInfo op = code.ToOpCode();
        var instruction = new Instruction { Code = code };
        bool hadImmediate = false;
        for (int i = 0; i < op.OpCount; i++)
        {
            OpCodeOperandKind kind = op.GetOpKind(i);
            if (Register(kind) is { } register)
            {
                instruction.SetOpKind(i, OpKind.Register);
                instruction.SetOpRegister(i, register);
                continue;
            }

            switch (kind)
            {
                case OpCodeOperandKind.mem:
                    instruction.SetOpKind(i, OpKind.Memory);
                    instruction.MemoryBase = Iced.Intel.Register.RSI;
                    instruction.MemoryDisplacement64 = Displacement;
                    instruction.MemoryDisplSize = 1;
                    break;
                case OpCodeOperandKind.mem_offs:
                    instruction.SetOpKind(i, OpKind.Memory);
                    instruction.MemoryDisplacement64 = 0x60_0000 + Displacement;
                    instruction.MemoryDisplSize = 8;
                    break;
                case OpCodeOperandKind.seg_rBX_al:
                    instruction.SetOpKind(i, OpKind.Memory);
                    instruction.MemoryBase = Iced.Intel.Register.RBX;
                    instruction.MemoryIndex = Iced.Intel.Register.AL;
                    instruction.MemoryIndexScale = 1;
                    break;
                case OpCodeOperandKind.seg_rSI:
                    instruction.SetOpKind(i, OpKind.MemorySegRSI);
                    break;
                case OpCodeOperandKind.es_rDI:
                    instruction.SetOpKind(i, OpKind.MemoryESRDI);
                    break;
                case OpCodeOperandKind.seg_rDI:
                    instruction.SetOpKind(i, OpKind.MemorySegRDI);
                    break;
                case OpCodeOperandKind.imm8 or OpCodeOperandKind.imm8sex16 or OpCodeOperandKind.imm8sex32 or OpCodeOperandKind.imm8sex64
                    or OpCodeOperandKind.imm16 or OpCodeOperandKind.imm32 or OpCodeOperandKind.imm32sex64 or OpCodeOperandKind.imm64
                    or OpCodeOperandKind.imm8_const_1:
                    instruction.SetOpKind(i, ImmediateKind(kind, hadImmediate));
                    instruction.SetImmediate(i, kind == OpCodeOperandKind.imm8_const_1 ? 1 : 3);
                    hadImmediate = true;
                    break;
                case OpCodeOperandKind.br16_1 or OpCodeOperandKind.br16_2:
                    instruction.SetOpKind(i, OpKind.NearBranch16);
                    instruction.NearBranch16 = (ushort)(address + 0x20);
                    break;
                case OpCodeOperandKind.br32_1 or OpCodeOperandKind.br32_4:
                    instruction.SetOpKind(i, OpKind.NearBranch32);
                    instruction.NearBranch32 = (uint)(address + 0x20);
                    break;
                case OpCodeOperandKind.br64_1 or OpCodeOperandKind.br64_4:
                    instruction.SetOpKind(i, OpKind.NearBranch64);
                    instruction.NearBranch64 = address + 0x20;
                    break;
                default:
                    throw new ArgumentException($"operand {i} is {kind}", nameof(code));
            }
        }

        return instruction;
    }

    private static OpKind ImmediateKind(OpCodeOperandKind kind, bool second) => kind switch
    {
        OpCodeOperandKind.imm8 or OpCodeOperandKind.imm8_const_1 => second ? OpKind.Immediate8_2nd : OpKind.Immediate8,
        OpCodeOperandKind.imm8sex16 => OpKind.Immediate8to16,
        OpCodeOperandKind.imm8sex32 => OpKind.Immediate8to32,
        OpCodeOperandKind.imm8sex64 => OpKind.Immediate8to64,
        OpCodeOperandKind.imm16 => OpKind.Immediate16,
        OpCodeOperandKind.imm32 => OpKind.Immediate32,
        OpCodeOperandKind.imm32sex64 => OpKind.Immediate32to64,
        _ => OpKind.Immediate64,
    };

    private static Register? Register(OpCodeOperandKind kind) => kind switch
    {
        OpCodeOperandKind.r8_reg or OpCodeOperandKind.r8_or_mem or OpCodeOperandKind.r8_opcode => Iced.Intel.Register.BL,
        OpCodeOperandKind.r16_reg or OpCodeOperandKind.r16_or_mem or OpCodeOperandKind.r16_rm or OpCodeOperandKind.r16_opcode
            or OpCodeOperandKind.r16_reg_mem => Iced.Intel.Register.BX,
        OpCodeOperandKind.r32_reg or OpCodeOperandKind.r32_or_mem or OpCodeOperandKind.r32_rm or OpCodeOperandKind.r32_opcode
            or OpCodeOperandKind.r32_reg_mem => Iced.Intel.Register.EBX,
        OpCodeOperandKind.r64_reg or OpCodeOperandKind.r64_or_mem or OpCodeOperandKind.r64_rm or OpCodeOperandKind.r64_opcode
            or OpCodeOperandKind.r64_reg_mem => Iced.Intel.Register.RBX,
        OpCodeOperandKind.seg_reg => Iced.Intel.Register.DS,
        OpCodeOperandKind.mm_reg or OpCodeOperandKind.mm_rm or OpCodeOperandKind.mm_or_mem => Iced.Intel.Register.MM1,
        OpCodeOperandKind.xmm_reg or OpCodeOperandKind.xmm_rm or OpCodeOperandKind.xmm_or_mem => Iced.Intel.Register.XMM1,
        OpCodeOperandKind.cr_reg => Iced.Intel.Register.CR2,
        OpCodeOperandKind.dr_reg => Iced.Intel.Register.DR0,
        OpCodeOperandKind.st0 => Iced.Intel.Register.ST0,
        OpCodeOperandKind.sti_opcode => Iced.Intel.Register.ST1,
        OpCodeOperandKind.al => Iced.Intel.Register.AL,
        OpCodeOperandKind.cl => Iced.Intel.Register.CL,
        OpCodeOperandKind.ax => Iced.Intel.Register.AX,
        OpCodeOperandKind.dx => Iced.Intel.Register.DX,
        OpCodeOperandKind.eax => Iced.Intel.Register.EAX,
        OpCodeOperandKind.rax => Iced.Intel.Register.RAX,
        OpCodeOperandKind.es => Iced.Intel.Register.ES,
        OpCodeOperandKind.cs => Iced.Intel.Register.CS,
        OpCodeOperandKind.ss => Iced.Intel.Register.SS,
        OpCodeOperandKind.ds => Iced.Intel.Register.DS,
        OpCodeOperandKind.fs => Iced.Intel.Register.FS,
        OpCodeOperandKind.gs => Iced.Intel.Register.GS,
        _ => null,
    };
}
