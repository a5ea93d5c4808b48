namespace KmlSim.Timing.Costs;

/// <summary>How the branch predictor treats an instruction.</summary>
public enum BranchKind : byte
{
    /// <summary>Not a branch.</summary>
    None,
    /// <summary>Conditional near branch (direction predicted).</summary>
    Conditional,
    /// <summary>Unconditional direct near jump.</summary>
    Jump,
    /// <summary>Indirect near jump (target from the BTB).</summary>
    IndirectJump,
    /// <summary>Near call, direct.</summary>
    Call,
    /// <summary>Near call, indirect.</summary>
    IndirectCall,
    /// <summary>Near return (return stack).</summary>
    Return,
    /// <summary>Far transfer (SYSCALL, SYSRET, IRET, INT): never predicted (reference §1, [AMD-25112] §6.9).</summary>
    Far,
}
