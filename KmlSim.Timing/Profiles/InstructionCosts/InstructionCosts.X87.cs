using KmlSim.Timing.Costs;
using static KmlSim.Timing.Costs.InstructionCost;

namespace KmlSim.Timing.Profiles;

/// <summary>x87 (K8 figures from PTLsim's K8 model: FP add 4, mul 5, div 16, sqrt 19; loads and stores estimates).</summary>
public sealed partial record InstructionCosts
{
    /// <summary>FADD/FSUB/FSUBR and the integer forms: L 4 ([PTLsim] ooocore-amd-k8.h).</summary>
    public InstructionCost FpAdd { get; init; } = Of(4, 1, unit: ExecutionUnit.FpAdd);

    /// <summary>FMUL, FIMUL: L 5 ([PTLsim]).</summary>
    public InstructionCost FpMultiply { get; init; } = Of(5, 1, unit: ExecutionUnit.FpMultiply);

    /// <summary>FDIV/FDIVR and the integer forms: L 16 ([PTLsim]), not pipelined.</summary>
    public InstructionCost FpDivide { get; init; } = Of(16, 16, unit: ExecutionUnit.FpMultiply);

    /// <summary>FSQRT: L 19 ([PTLsim]), not pipelined.</summary>
    public InstructionCost FpSqrt { get; init; } = Of(19, 19, unit: ExecutionUnit.FpMultiply);

    /// <summary>FSIN, FCOS, FPTAN, FPATAN, F2XM1, FYL2X, FPREM, FSCALE, FXTRACT, FRNDINT: estimate 100 (microcoded sequences).</summary>
    public InstructionCost FpMicrocoded { get; init; } = Microcoded(100, serialising: false);

    /// <summary>Loads, stores, moves, exchanges, compares, constants, FWAIT: estimate L 2, T 1.</summary>
    public InstructionCost FpOther { get; init; } = Of(2, 1, unit: ExecutionUnit.FpStore);
}
