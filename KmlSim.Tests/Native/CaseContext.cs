using System.Runtime.Intrinsics;
using Iced.Intel;

namespace KmlSim.Tests.Native;

/// <summary>
/// What a case generator draws from: the seeded random source, a fresh random machine state, and random
/// operands. Per case it decides whether 8-bit operands come from the legacy set (AL..BH, so AH..BH can
/// appear) or the REX set (SPL..R15B): one instruction cannot mix AH with a REX prefix.
/// </summary>
internal sealed class CaseContext(Random rng, ulong bufferAddress, int bufferLength)
{
    private static readonly Register[] Legacy8 = [Register.AL, Register.CL, Register.DL, Register.BL, Register.AH, Register.CH, Register.DH, Register.BH];
    private static readonly Register[] Rex8 =
        [Register.AL, Register.CL, Register.DL, Register.BL, Register.BPL, Register.SIL, Register.DIL, Register.R8L, Register.R9L,
         Register.R10L, Register.R11L, Register.R12L, Register.R13L, Register.R14L, Register.R15L];

    private bool legacy8 = rng.Next(2) == 0;
    private readonly List<int> chosen = new();
    private readonly List<int> bases = new();

    public Random Rng { get; } = rng;

    /// <summary>Where base registers of memory operands point: the middle of the buffer, so negative offsets work too.</summary>
    public int BufferMiddle { get; } = bufferLength / 2;

    public int BufferLength { get; } = bufferLength;

    /// <summary>A new context on the same random source, for a generator that rejects an attempt and starts over.</summary>
    public CaseContext Fresh() => new(Rng, bufferAddress, BufferLength);

    /// <summary>A random state: edge-biased GPRs, random status flags (DF clear), random XMM, random memory.</summary>
    public CpuState NewState()
    {
        var state = new CpuState(BufferLength);
        for (int i = 0; i < 16; i++)
        {
            state.Gpr[i] = InputValues.Register(Rng);
            state.Xmm[i] = Vector128.Create(InputValues.Uniform(Rng), InputValues.Uniform(Rng)).AsByte();
        }

        state.Rflags = (ulong)Rng.Next(0x1000) & KmlSim.Isa.RFlags.Status;
        Rng.NextBytes(state.Memory);
        return state;
    }

    /// <summary>
    /// Draws 8-bit registers from the REX set from now on: for instructions that also need a REX prefix for
    /// another reason (REX.W, as in MOVZX r64, r/m8), where AH..BH cannot be encoded.
    /// </summary>
    public void ForbidHighBytes() => legacy8 = false;

    /// <summary>A random operand size in bytes: 1, 2, 4 or 8.</summary>
    public int Size() => 1 << Rng.Next(4);

    /// <summary>
    /// Marks registers the instruction uses implicitly (RCX of a CL count, RDX:RAX of MUL/DIV), so that no
    /// memory base lands on them: the generator writes values there and would move the address.
    /// </summary>
    public void Reserve(params KmlSim.Isa.Gpr[] registers)
    {
        foreach (KmlSim.Isa.Gpr register in registers)
        {
            chosen.Add((int)register);
        }
    }

    /// <summary>
    /// A random register of <paramref name="size"/> bytes: never RSP, never a memory base of this case, never
    /// one whose full register is in <paramref name="avoid"/>. Two operands may get the same register.
    /// </summary>
    public TestOperand Gpr(int size, params TestOperand[] avoid)
    {
        while (true)
        {
            Register register = size == 1
                ? (legacy8 ? Legacy8 : Rex8)[Rng.Next(legacy8 ? Legacy8.Length : Rex8.Length)]
                : FullRegister(Rng.Next(legacy8 ? 8 : 16), size);
            var operand = TestOperand.Gpr(register);
            if (register.GetFullRegister() != Register.RSP && !Clashes(operand, avoid) && !bases.Contains(operand.Index))
            {
                chosen.Add(operand.Index);
                return operand;
            }
        }
    }

    /// <summary>
    /// A memory operand of <paramref name="size"/> bytes: a random base register (set in
    /// <paramref name="state"/> to the buffer middle) plus a small displacement; an edge value is planted there.
    /// </summary>
    public TestOperand Memory(CpuState state, int size, params TestOperand[] avoid)
    {
        TestOperand baseRegister;
        do
        {
            baseRegister = Gpr(8, avoid);
        }
        while (chosen.IndexOf(baseRegister.Index) != chosen.Count - 1); // a register no other operand uses

        bases.Add(baseRegister.Index);
        int displacement = Rng.Next(-64, 64);
        state.Gpr[baseRegister.Index] = Address(BufferMiddle);
        var operand = TestOperand.Memory(baseRegister.Register, BufferMiddle + displacement, displacement, size);
        operand.Write(state, InputValues.Next(Rng, size));
        return operand;
    }

    /// <summary>A register (with an edge value planted) or, half the time, a memory operand.</summary>
    public TestOperand GprOrMemory(CpuState state, int size, params TestOperand[] avoid)
    {
        if (Rng.Next(2) == 0)
        {
            return Memory(state, size, avoid);
        }

        TestOperand register = Gpr(size, avoid);
        register.Write(state, InputValues.Next(Rng, size));
        return register;
    }

    /// <summary>The linear address of a buffer offset (the same natively and in the simulator).</summary>
    public ulong Address(int bufferOffset) => bufferAddress + (ulong)bufferOffset;

    public static Register FullRegister(int index, int size) => size switch
    {
        8 => Register.RAX + index,
        4 => Register.EAX + index,
        2 => Register.AX + index,
        _ => index < 4 ? Register.AL + index : Register.SPL + (index - 4),
    };

    private static bool Clashes(TestOperand operand, TestOperand[] avoid)
    {
        foreach (TestOperand other in avoid)
        {
            if (other.Kind != TestOperandKind.Immediate && other.Index == operand.Index)
            {
                return true;
            }
        }

        return false;
    }
}
