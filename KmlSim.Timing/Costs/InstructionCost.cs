namespace KmlSim.Timing.Costs;

/// <summary>
/// The timing of one instruction class (<see cref="InstructionClass"/>) in a CPU profile. A value type with
/// public fields so that the per-instruction lookup is a flat array read and a variant is
/// <c>cost with { Latency = 40 }</c>.
/// </summary>
public record struct InstructionCost
{
    /// <summary>Result latency in cycles of the register form (a memory source adds the load latency).</summary>
    public ushort Latency;

    /// <summary>Cycles the unit stays busy (reciprocal throughput, rounded up to whole cycles).</summary>
    public ushort Occupancy;

    /// <summary>Macro-ops dispatched and retired.</summary>
    public byte MacroOps;

    /// <summary>Decode path.</summary>
    public DecodePath Path;

    /// <summary>Execution unit class.</summary>
    public ExecutionUnit Unit;

    /// <summary>Branch class.</summary>
    public BranchKind Branch;

    /// <summary>Waits for the window to drain and restarts the front end after it.</summary>
    public bool Serialising;

    /// <summary>Extra cycles per element of a REP string instruction (0 otherwise).</summary>
    public byte PerElement;

    /// <summary>Extra latency when the address operand is complex (<see cref="Observation.RetiredInstruction.ComplexAddress"/>): 1 for LEA, else 0.</summary>
    public byte ComplexAddressLatency;

    /// <summary>Cycles by which RAX is ready before the other results (MUL/IMUL r64: RAX after 4, RDX after 5), else 0.</summary>
    public byte RaxEarly;

    /// <summary>True when the profile prices this form (false: no entry; only for codes the interpreter lacks).</summary>
    public bool Known;

    /// <summary>A form the interpreter does not execute: a plain 1-cycle op, marked unknown.</summary>
    public static InstructionCost Unclassified => new() { Latency = 1, Occupancy = 1, MacroOps = 1 };

    /// <summary>
    /// A priced instruction: <paramref name="latency"/> cycles, the unit busy <paramref name="occupancy"/> cycles;
    /// <paramref name="macroOps"/> 0 means 1, or 2 for a DirectPath double.
    /// </summary>
    public static InstructionCost Of(int latency, int occupancy = 1, DecodePath path = DecodePath.Direct, ExecutionUnit unit = ExecutionUnit.Alu,
        bool serialising = false, BranchKind branch = BranchKind.None, int macroOps = 0) => new()
    {
        Latency = (ushort)latency,
        Occupancy = (ushort)Math.Max(occupancy, 1),
        Path = path,
        Unit = unit,
        Serialising = serialising,
        Branch = branch,
        MacroOps = (byte)(macroOps != 0 ? macroOps : path == DecodePath.DirectDouble ? 2 : 1),
        Known = true,
    };

    /// <summary>A microcoded instruction whose latency is all there is to it (VectorPath, 3 macro-ops, busy for its whole latency).</summary>
    public static InstructionCost Microcoded(int latency, bool serialising = true, BranchKind branch = BranchKind.None) =>
        Of(latency, latency, DecodePath.Vector, ExecutionUnit.Microcode, serialising, branch, macroOps: 3);
}
