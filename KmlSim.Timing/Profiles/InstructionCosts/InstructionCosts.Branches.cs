using KmlSim.Timing.Costs;
using static KmlSim.Timing.Costs.InstructionCost;

namespace KmlSim.Timing.Profiles;

/// <summary>Branches and string instructions (K8 figures; the predictor's bubble and mispredict penalty are the profile's).</summary>
public sealed partial record InstructionCosts
{
    /// <summary>Direct near JMP: resolves on an ALU in a cycle; the taken bubble is the profile's.</summary>
    public InstructionCost Jump { get; init; } = Of(1, unit: ExecutionUnit.Branch, branch: BranchKind.Jump);

    /// <summary>Indirect near JMP (target from the BTB).</summary>
    public InstructionCost IndirectJump { get; init; } = Of(1, unit: ExecutionUnit.Branch, branch: BranchKind.IndirectJump);

    /// <summary>Far JMP or CALL: never predicted ([AMD-25112] §6.9); estimate, taken as IRETQ.</summary>
    public InstructionCost FarTransfer { get; init; } = Microcoded(70, branch: BranchKind.Far);

    /// <summary>Direct near CALL: estimate, a store and a jump (DirectPath double).</summary>
    public InstructionCost Call { get; init; } = Of(1, unit: ExecutionUnit.Branch, branch: BranchKind.Call, path: DecodePath.DirectDouble);

    /// <summary>Indirect near CALL: estimate, as CALL.</summary>
    public InstructionCost IndirectCall { get; init; } = Of(1, unit: ExecutionUnit.Branch, branch: BranchKind.IndirectCall, path: DecodePath.DirectDouble);

    /// <summary>Near RET: estimate, a load and a jump (DirectPath double); predicted by the return stack.</summary>
    public InstructionCost Return { get; init; } = Of(1, unit: ExecutionUnit.Branch, branch: BranchKind.Return, path: DecodePath.DirectDouble);

    /// <summary>Jcc: resolves on an ALU in a cycle.</summary>
    public InstructionCost ConditionalJump { get; init; } = Of(1, unit: ExecutionUnit.Branch, branch: BranchKind.Conditional);

    /// <summary>LOOP/LOOPE/LOOPNE: VectorPath L 9, T 8 ([AMD-25112] p.286).</summary>
    public InstructionCost Loop { get; init; } = Of(9, 8, DecodePath.Vector, ExecutionUnit.Branch, branch: BranchKind.Conditional);

    /// <summary>JRCXZ/JECXZ: estimate, a test and a branch (DirectPath double).</summary>
    public InstructionCost JumpIfCountZero { get; init; } = Of(1, unit: ExecutionUnit.Branch, branch: BranchKind.Conditional, path: DecodePath.DirectDouble);

    /// <summary>MOVS: VectorPath; REP MOVS costs 15 + 1 per element ([AMD-25112] §8.3 Table 6, rev 3.06).</summary>
    public InstructionCost MoveString { get; init; } = Of(15, 15, DecodePath.Vector, macroOps: 3) with { PerElement = 1 };

    /// <summary>STOS: REP STOS costs 14 + 1 per element ([AMD-25112] §8.3 Table 6).</summary>
    public InstructionCost StoreString { get; init; } = Of(14, 14, DecodePath.Vector, macroOps: 3) with { PerElement = 1 };

    /// <summary>LODS, CMPS, SCAS: estimate, taken as MOVS (LODS alone is L 4-5, [AMD-25112] p.286).</summary>
    public InstructionCost OtherString { get; init; } = Of(15, 15, DecodePath.Vector, macroOps: 3) with { PerElement = 1 };
}
