using System.Collections.Immutable;
using Iced.Intel;
using KmlSim.Timing.Costs;
using static KmlSim.Timing.Costs.InstructionCost;

namespace KmlSim.Timing.Profiles;

/// <summary>
/// What every instruction costs on a CPU: one <see cref="InstructionCost"/> per <see cref="InstructionClass"/>
/// (the forms <see cref="InstructionClassifier"/> puts together), per-<see cref="Code"/> <see cref="Overrides"/>
/// for a form that differs from its class, the LOCK-prefixed read-modify-write and the delivery of an
/// exception or interrupt. The defaults are the Opteron 850's (K8), each citing its source: AMD's
/// <i>Software Optimization Guide for AMD64 Processors</i> (25112 rev 3.06), Appendix C Table 13, and the
/// InstLatX64 measurements of an Opteron 248 (same core revision, 32-bit code) and an Athlon 64 X2 (rev E,
/// 64-bit code); "estimate" marks a figure no source gives. A variant is
/// <c>costs with { Syscall = costs.Syscall with { Latency = 40 } }</c>.
/// </summary>
public sealed partial record InstructionCosts
{
    /// <summary>
    /// Forms priced apart from their class (looked up before the class). The K8 default holds the SSE2 MOVSD and
    /// CMPSD forms at the string instructions' cost: they share the mnemonics MOVSD/CMPSD with the string
    /// instructions, and the table before classes were taken from Iced's metadata priced them so; kept as they
    /// were until the timing figures are re-baselined on purpose.
    /// </summary>
    public ImmutableDictionary<Code, InstructionCost> Overrides { get; init; } = new Dictionary<Code, InstructionCost>
    {
        [Code.Movsd_xmm_xmmm64] = StringPriced,
        [Code.Movsd_xmmm64_xmm] = StringPriced,
        [Code.Cmpsd_xmm_xmmm64_imm8] = StringPriced,
    }.ToImmutableDictionary();

    /// <summary>
    /// Any LOCK-prefixed read-modify-write: LOCK ADD [m],r measured L 19, T 18 ([InstLat]); the other locked
    /// operations (CMPXCHG, XADD, INC, OR, ...) are taken as LOCK ADD (estimate: the lock, not the operation, dominates).
    /// </summary>
    public InstructionCost Locked { get; init; } = Of(19, 18, DecodePath.Vector, ExecutionUnit.Locked, macroOps: 3);

    /// <summary>
    /// Delivering an exception or interrupt through the IDT. Estimate (no source gives it): taken as the IRETQ
    /// estimate, since both are microcoded far transfers with a stack frame; occupies no unit beyond its latency.
    /// </summary>
    public InstructionCost InterruptDelivery { get; init; } = Of(70, 1, DecodePath.Vector, ExecutionUnit.Microcode, serialising: true, BranchKind.Far, macroOps: 3);

    private static InstructionCost StringPriced => Of(15, 15, DecodePath.Vector, macroOps: 3) with { PerElement = 1 };

    /// <summary>The cost of <paramref name="code"/>: its override, or its class's.</summary>
    public InstructionCost For(Code code) => Overrides.TryGetValue(code, out InstructionCost cost) ? cost : this[InstructionClassifier.Of(code)];
}
