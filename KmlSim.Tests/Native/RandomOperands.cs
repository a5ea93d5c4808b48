using Iced.Intel;

namespace KmlSim.Tests.Native;

/// <summary>
/// Builds one instruction of a given <see cref="Code"/> with random operands of the kinds its opcode takes
/// (from Iced's <see cref="OpCodeInfo"/>): MMX, XMM and general registers, memory at [RSI + displacement]
/// inside the data buffer, random immediates; the implicit [rDI] of the masked stores. RSI and RDI must
/// hold the buffer middle (<see cref="PointAtBuffer"/>); RSP is never chosen.
/// </summary>
internal static class RandomOperands
{
    private static readonly Register[] Gpr64 =
        [Register.RAX, Register.RCX, Register.RDX, Register.RBX, Register.RBP, Register.R8, Register.R9, Register.R10,
         Register.R11, Register.R12, Register.R13, Register.R14, Register.R15];

    /// <summary>Room either side of the buffer middle for a memory operand (the largest is 16 bytes).</summary>
    private const int DisplacementRange = 256;

    /// <summary>Sets RSI and RDI to the buffer middle, where memory operands and masked stores point.</summary>
    public static void PointAtBuffer(CaseContext ctx, CpuState state)
    {
        state.Gpr[6] = ctx.Address(ctx.BufferMiddle);
        state.Gpr[7] = ctx.Address(ctx.BufferMiddle);
    }

    /// <summary>True when every explicit operand of <paramref name="code"/> is of a kind <see cref="Create"/> can draw.</summary>
    public static bool CanCreate(Code code)
    {
        OpCodeInfo info = code.ToOpCode();
        for (int i = 0; i < info.OpCount; i++)
        {
            if (Draw(info.GetOpKind(i), new Random(0), out _, out _, out _) == DrawnKind.Unsupported)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The instruction with random operands. 16-byte memory operands are aligned (a legacy SSE access that is
    /// not faults, and the host would take the fault); others are aligned half the time.
    /// </summary>
    public static Instruction Create(Code code, Random rng)
    {
        OpCodeInfo info = code.ToOpCode();
        var instruction = new Instruction { Code = code };
        for (int i = 0; i < info.OpCount; i++)
        {
            switch (Draw(info.GetOpKind(i), rng, out Register register, out uint immediate, out OpKind implicitKind))
            {
                case DrawnKind.Register:
                    instruction.SetOpKind(i, OpKind.Register);
                    instruction.SetOpRegister(i, register);
                    break;
                case DrawnKind.Memory:
                    bool aligned = instruction.MemorySize.GetSize() == 16 || rng.Next(2) == 0;
                    int displacement = aligned ? 16 * (rng.Next(2 * DisplacementRange / 16) - (DisplacementRange / 16)) : rng.Next(-DisplacementRange, DisplacementRange);
                    instruction.SetOpKind(i, OpKind.Memory);
                    instruction.MemoryBase = Register.RSI;
                    instruction.MemoryDisplacement64 = (ulong)(long)displacement;
                    instruction.MemoryDisplSize = displacement is >= -128 and < 128 ? 1 : 8; // Iced's size for a 64-bit address's disp32
                    break;
                case DrawnKind.Immediate8:
                    instruction.SetOpKind(i, OpKind.Immediate8);
                    instruction.Immediate8 = (byte)immediate;
                    break;
                case DrawnKind.Implicit:
                    instruction.SetOpKind(i, implicitKind);
                    break;
                default:
                    throw new ArgumentException($"{code}: operand {i} is {info.GetOpKind(i)}", nameof(code));
            }
        }

        return instruction;
    }

    private enum DrawnKind
    {
        Unsupported,
        Register,
        Memory,
        Immediate8,
        Implicit,
    }

    private static DrawnKind Draw(OpCodeOperandKind kind, Random rng, out Register register, out uint immediate, out OpKind implicitKind)
    {
        bool memory = rng.Next(2) == 0;
        register = Register.None;
        immediate = (uint)rng.Next(256);
        implicitKind = OpKind.Register;
        switch (kind)
        {
            case OpCodeOperandKind.mm_reg:
                register = Register.MM0 + rng.Next(8);
                return DrawnKind.Register;
            case OpCodeOperandKind.mm_rm:
                register = Register.MM0 + rng.Next(8);
                return DrawnKind.Register;
            case OpCodeOperandKind.mm_or_mem:
                register = Register.MM0 + rng.Next(8);
                return memory ? DrawnKind.Memory : DrawnKind.Register;
            case OpCodeOperandKind.xmm_reg:
                register = Register.XMM0 + rng.Next(16);
                return DrawnKind.Register;
            case OpCodeOperandKind.xmm_rm:
                register = Register.XMM0 + rng.Next(16);
                return DrawnKind.Register;
            case OpCodeOperandKind.xmm_or_mem:
                register = Register.XMM0 + rng.Next(16);
                return memory ? DrawnKind.Memory : DrawnKind.Register;
            case OpCodeOperandKind.r32_reg:
                register = Gpr64[rng.Next(Gpr64.Length)] - Register.RAX + Register.EAX;
                return DrawnKind.Register;
            case OpCodeOperandKind.r64_reg:
                register = Gpr64[rng.Next(Gpr64.Length)];
                return DrawnKind.Register;
            case OpCodeOperandKind.r32_rm:
                register = Gpr64[rng.Next(Gpr64.Length)] - Register.RAX + Register.EAX;
                return DrawnKind.Register;
            case OpCodeOperandKind.r64_rm:
                register = Gpr64[rng.Next(Gpr64.Length)];
                return DrawnKind.Register;
            case OpCodeOperandKind.r32_or_mem:
                register = Gpr64[rng.Next(Gpr64.Length)] - Register.RAX + Register.EAX;
                return memory ? DrawnKind.Memory : DrawnKind.Register;
            case OpCodeOperandKind.r64_or_mem:
                register = Gpr64[rng.Next(Gpr64.Length)];
                return memory ? DrawnKind.Memory : DrawnKind.Register;
            case OpCodeOperandKind.mem:
                return DrawnKind.Memory;
            case OpCodeOperandKind.imm8:
                return DrawnKind.Immediate8;
            case OpCodeOperandKind.seg_rDI:
                implicitKind = OpKind.MemorySegRDI;
                return DrawnKind.Implicit;
            default:
                return DrawnKind.Unsupported;
        }
    }
}
