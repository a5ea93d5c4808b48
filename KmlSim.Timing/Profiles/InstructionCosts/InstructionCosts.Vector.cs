using KmlSim.Timing.Costs;
using static KmlSim.Timing.Costs.InstructionCost;

namespace KmlSim.Timing.Profiles;

/// <summary>SSE/SSE2 (K8 figures: a 128-bit operation is two 64-bit macro-ops, so its throughput halves).</summary>
public sealed partial record InstructionCosts
{
    /// <summary>SQRTSD/SQRTSS: L 27, T 24 ([InstLat]).</summary>
    public InstructionCost SqrtScalar { get; init; } = Of(27, 24, unit: ExecutionUnit.FpMultiply);

    /// <summary>SQRTPD/SQRTPS: L 48 ([InstLat-X2]).</summary>
    public InstructionCost SqrtPacked { get; init; } = Of(48, 48, DecodePath.DirectDouble, ExecutionUnit.FpMultiply);

    /// <summary>DIVSD/DIVSS: L 20, T 17 ([InstLat]).</summary>
    public InstructionCost DivideScalar { get; init; } = Of(20, 17, unit: ExecutionUnit.FpMultiply);

    /// <summary>DIVPD/DIVPS: L 34, T 34 ([InstLat-X2]).</summary>
    public InstructionCost DividePacked { get; init; } = Of(34, 34, DecodePath.DirectDouble, ExecutionUnit.FpMultiply);

    /// <summary>MULSD/MULSS: L 4, T 1 ([InstLat-248], [InstLat-X2]).</summary>
    public InstructionCost MultiplyScalar { get; init; } = Of(4, 1, unit: ExecutionUnit.FpMultiply);

    /// <summary>MULPD/MULPS: L 4, T 2 ([InstLat-X2]).</summary>
    public InstructionCost MultiplyPacked { get; init; } = Of(4, 2, DecodePath.DirectDouble, ExecutionUnit.FpMultiply);

    /// <summary>ADDSD/SUBSD/CMPSD (and SS): L 4, T 1 ([InstLat-248], [InstLat-X2]).</summary>
    public InstructionCost AddScalar { get; init; } = Of(4, 1, unit: ExecutionUnit.FpAdd);

    /// <summary>ADDPD/SUBPD/CMPPD (and PS): L 4, T 2 ([InstLat-X2]).</summary>
    public InstructionCost AddPacked { get; init; } = Of(4, 2, DecodePath.DirectDouble, ExecutionUnit.FpAdd);

    /// <summary>MINSD/MAXSD (and SS): L 2, T 1 ([InstLat-X2]).</summary>
    public InstructionCost MinMaxScalar { get; init; } = Of(2, 1, unit: ExecutionUnit.FpAdd);

    /// <summary>MINPD/MAXPD (and PS): L 2, T 2 (two halves of the scalar figure).</summary>
    public InstructionCost MinMaxPacked { get; init; } = Of(2, 2, DecodePath.DirectDouble, ExecutionUnit.FpAdd);

    /// <summary>COMISD/UCOMISD (and SS): T 1 ([InstLat-X2]); latency to the flags estimate 3.</summary>
    public InstructionCost CompareToFlags { get; init; } = Of(3, 1, unit: ExecutionUnit.FpAdd);

    /// <summary>PMULLW/PMULUDQ and the other SSE2 integer multiplies: L 3, T 2 ([InstLat-X2]).</summary>
    public InstructionCost VectorIntegerMultiply { get; init; } = Of(3, 2, DecodePath.DirectDouble, ExecutionUnit.FpMultiply);

    /// <summary>PSADBW: estimate L 4, T 2.</summary>
    public InstructionCost SumOfAbsoluteDifferences { get; init; } = Of(4, 2, DecodePath.DirectDouble, ExecutionUnit.FpAdd);

    /// <summary>PSHUFD and the other shuffles: L 3, T 1.42 ([InstLat-X2]), rounded up to 2.</summary>
    public InstructionCost Shuffle { get; init; } = Of(3, 2, DecodePath.DirectDouble, ExecutionUnit.FpAdd);

    /// <summary>PMOVMSKB, MOVMSKPD/PS, PEXTRW: T 1 ([InstLat]); latency across domains derived as half the 14-cycle MOVD round trip (estimate).</summary>
    public InstructionCost MoveMask { get; init; } = Of(7, 1, DecodePath.DirectDouble, ExecutionUnit.FpStore);

    /// <summary>MOVD/MOVQ between a general register and XMM: T 2.5 each way, round trip L 14 ([InstLat-X2]).</summary>
    public InstructionCost MoveGeneralToVector { get; init; } = Of(7, 3, unit: ExecutionUnit.FpStore);

    /// <summary>PINSRW: estimate, as MOVD.</summary>
    public InstructionCost InsertWord { get; init; } = Of(7, 3, DecodePath.DirectDouble, ExecutionUnit.FpStore);

    /// <summary>CVT* on 64 bits: CVTSI2SD T 2.75-3 ([InstLat]); latency estimate 5 (PTLsim's K8 model uses 4-9).</summary>
    public InstructionCost ConvertScalar { get; init; } = Of(5, 3, unit: ExecutionUnit.FpStore);

    /// <summary>CVT* on 128 bits: as the scalar form, two macro-ops (estimate).</summary>
    public InstructionCost ConvertPacked { get; init; } = Of(5, 3, DecodePath.DirectDouble, ExecutionUnit.FpStore);

    /// <summary>SSE moves of 64 bits: MOVDQA-class L 2, T 1 ([InstLat]).</summary>
    public InstructionCost VectorMoveScalar { get; init; } = Of(2, 1, unit: ExecutionUnit.FpStore);

    /// <summary>SSE moves of 128 bits: L 2; loads and stores T 2 ([InstLat]).</summary>
    public InstructionCost VectorMovePacked { get; init; } = Of(2, 2, DecodePath.DirectDouble, ExecutionUnit.FpStore);

    /// <summary>PADD/PAND/PCMPEQ/shifts/unpacks on 64 bits: L 2, T 1 ([InstLat-248], [InstLat-X2]).</summary>
    public InstructionCost VectorSimpleScalar { get; init; } = Of(2, 1, unit: ExecutionUnit.FpAdd);

    /// <summary>The same on 128 bits: L 2, T 1 per 64-bit half ([InstLat-X2]).</summary>
    public InstructionCost VectorSimplePacked { get; init; } = Of(2, 2, DecodePath.DirectDouble, ExecutionUnit.FpAdd);
}
