namespace KmlSim.Timing.Costs;

/// <summary>Where an instruction's operation executes (reference §1: 3 ALU with the multiplier on pipe 0, 3 AGU, FADD/FMUL/FSTORE).</summary>
public enum ExecutionUnit : byte
{
    /// <summary>Any of the 3 integer ALUs.</summary>
    Alu,
    /// <summary>The integer multiplier on pipe 0.</summary>
    Multiply,
    /// <summary>The microcoded divider (occupies pipe 0 for its whole latency).</summary>
    Divide,
    /// <summary>Branch resolution on an ALU.</summary>
    Branch,
    /// <summary>FP adder (also MMX/SSE integer ALU work).</summary>
    FpAdd,
    /// <summary>FP multiplier (also divide and square root).</summary>
    FpMultiply,
    /// <summary>FP store / miscellaneous unit.</summary>
    FpStore,
    /// <summary>Microcode with no unit worth modelling apart (system instructions): the latency is all.</summary>
    Microcode,
    /// <summary>A locked read-modify-write: one at a time (the next starts when the previous one's occupancy ends).</summary>
    Locked,
}
