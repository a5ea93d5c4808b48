using KmlSim.Timing.Costs;
using static KmlSim.Timing.Costs.InstructionCost;

namespace KmlSim.Timing.Profiles;

/// <summary>Integer instructions (K8 figures).</summary>
public sealed partial record InstructionCosts
{
    /// <summary>ALU, MOV, MOVZX/MOVSX, shifts and rotates by any count, BT, BSWAP: DirectPath L 1, T 0.33 ([AMD-25112] p.273-297; [InstLat-248], [InstLat-X2]).</summary>
    public InstructionCost SimpleAlu { get; init; } = Of(1);

    /// <summary>CMOVcc: L 1 ([AMD-25112] p.279).</summary>
    public InstructionCost ConditionalMove { get; init; } = Of(1);

    /// <summary>SETcc: L 1 ([AMD-25112] p.297).</summary>
    public InstructionCost SetCondition { get; init; } = Of(1);

    /// <summary>ADC, SBB: L 1, T 1 ([InstLat-X2]).</summary>
    public InstructionCost AddWithCarry { get; init; } = Of(1, 1);

    /// <summary>IMUL r32, r/m32 (and imm): L 3, T 1 ([InstLat-248] #328-334).</summary>
    public InstructionCost Multiply32 { get; init; } = Of(3, 1, unit: ExecutionUnit.Multiply);

    /// <summary>IMUL r64, r/m64 (and imm): L 4, T 2 ([InstLat-X2] #329-335).</summary>
    public InstructionCost Multiply64 { get; init; } = Of(4, 2, unit: ExecutionUnit.Multiply);

    /// <summary>MUL/IMUL r/m32 (EDX:EAX): L 3 for both halves, T 3 ([InstLat-248]).</summary>
    public InstructionCost MultiplyWide32 { get; init; } = Of(3, 3, DecodePath.DirectDouble, ExecutionUnit.Multiply);

    /// <summary>MUL/IMUL r/m64 (RDX:RAX): RAX L 4, RDX L 5, T 4 ([InstLat-X2]).</summary>
    public InstructionCost MultiplyWide64 { get; init; } = Of(5, 4, DecodePath.DirectDouble, ExecutionUnit.Multiply) with { RaxEarly = 1 };

    /// <summary>LEA: L 1 for base + index or base + displacement, L 2 with a scale or three operands ([AMD-25112] Table 13 note 4; [InstLat-X2]).</summary>
    public InstructionCost Lea { get; init; } = Of(1) with { ComplexAddressLatency = 1 };

    /// <summary>DIV r/m32: L 39-40 ([InstLat-248], [InstLat-X2] #430-443); also used for 8/16-bit (estimate).</summary>
    public InstructionCost Divide32 { get; init; } = Divider(39);

    /// <summary>DIV r/m64: L 71-72 ([InstLat-X2] #444-457).</summary>
    public InstructionCost Divide64 { get; init; } = Divider(71);

    /// <summary>IDIV r/m32: L 40-41 ([InstLat-248], [InstLat-X2]).</summary>
    public InstructionCost SignedDivide32 { get; init; } = Divider(40);

    /// <summary>IDIV r/m64: L 72-73 ([InstLat-X2] #391-404).</summary>
    public InstructionCost SignedDivide64 { get; init; } = Divider(72);

    /// <summary>BSF r16/32: VectorPath L 8 ([AMD-25112] p.275; measured).</summary>
    public InstructionCost BitScanForward32 { get; init; } = Of(8, 8, DecodePath.Vector);

    /// <summary>BSF r64: VectorPath L 9 ([AMD-25112] p.275; measured).</summary>
    public InstructionCost BitScanForward64 { get; init; } = Of(9, 9, DecodePath.Vector);

    /// <summary>BSR: VectorPath L 11, T 10 ([AMD-25112] p.275; measured).</summary>
    public InstructionCost BitScanReverse { get; init; } = Of(11, 10, DecodePath.Vector);

    /// <summary>LZCNT/TZCNT r16/32: K8 lacks them; estimate, taken as BSF.</summary>
    public InstructionCost ZeroCount32 { get; init; } = Of(8, 8, DecodePath.Vector);

    /// <summary>LZCNT/TZCNT r64: estimate, taken as BSF r64.</summary>
    public InstructionCost ZeroCount64 { get; init; } = Of(9, 9, DecodePath.Vector);

    /// <summary>SHLD, SHRD: measured L 3, T 2 ([InstLat-248]).</summary>
    public InstructionCost DoubleShift { get; init; } = Of(3, 2, DecodePath.Vector);

    /// <summary>BTS, BTR, BTC: measured L 2, T 0.67 ([InstLat-248]).</summary>
    public InstructionCost BitTestModify { get; init; } = Of(2, 1, DecodePath.DirectDouble);

    /// <summary>RCL, RCR: estimate 5 (microcoded rotates through carry; not in the sources).</summary>
    public InstructionCost RotateThroughCarry { get; init; } = Of(5, 5, DecodePath.Vector);

    /// <summary>XCHG r/m, r: with memory measured L 16, T 16 ([InstLat]); a register pair in this form takes the same path (estimate).</summary>
    public InstructionCost ExchangeMemory { get; init; } = Of(16, 16, DecodePath.Vector);

    /// <summary>XCHG r, rAX: estimate (two moves).</summary>
    public InstructionCost ExchangeRegister { get; init; } = Of(2, 1, DecodePath.DirectDouble);

    /// <summary>CMPXCHG r, r: measured L 3, T 2 ([InstLat]).</summary>
    public InstructionCost CompareExchange { get; init; } = Of(3, 2, DecodePath.Vector);

    /// <summary>XADD: estimate, taken as CMPXCHG.</summary>
    public InstructionCost ExchangeAdd { get; init; } = Of(3, 2, DecodePath.Vector);

    /// <summary>LEAVE: DirectPath double, L 3 ([AMD-25112] p.286).</summary>
    public InstructionCost Leave { get; init; } = Of(3, 1, DecodePath.DirectDouble);

    /// <summary>ENTER: estimate 12 (microcoded frame set-up).</summary>
    public InstructionCost Enter { get; init; } = Of(12, 12, DecodePath.Vector);

    /// <summary>LAHF, SAHF: L 2 ([InstLat-X2]).</summary>
    public InstructionCost FlagsToAh { get; init; } = Of(2, 1, DecodePath.Vector);

    /// <summary>CLD: 1 ([InstLat]).</summary>
    public InstructionCost ClearDirection { get; init; } = Of(1, 1);

    /// <summary>STD: 2 ([InstLat]).</summary>
    public InstructionCost SetDirection { get; init; } = Of(2, 2, DecodePath.Vector);

    /// <summary>PUSH, POP: T 1 each ([InstLat-X2] #486).</summary>
    public InstructionCost PushPop { get; init; } = Of(1, 1);

    /// <summary>The microcoded divider: busy for its whole latency.</summary>
    private static InstructionCost Divider(int latency) => Of(latency, latency, DecodePath.Vector, ExecutionUnit.Divide);
}
