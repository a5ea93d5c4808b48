namespace KmlSim.Timing.Costs;

/// <summary>The timing class of one instruction form.</summary>
public struct InstructionCost
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

    /// <summary>True when the table classified this form (false: no entry; only for codes the interpreter lacks).</summary>
    public bool Known;
}
