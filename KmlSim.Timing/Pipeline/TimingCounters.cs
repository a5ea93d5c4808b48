namespace KmlSim.Timing.Pipeline;

/// <summary>Pipeline event counts.</summary>
public sealed class TimingCounters
{
    /// <summary>Instructions retired.</summary>
    public long Instructions;
    /// <summary>Macro-ops retired.</summary>
    public long MacroOps;
    /// <summary>Conditional and indirect branch mispredicts (direction or target).</summary>
    public long BranchMispredicts;
    /// <summary>Return mispredicts (return stack misses).</summary>
    public long ReturnMispredicts;
    /// <summary>Serialising instructions and event deliveries.</summary>
    public long Serialisations;
    /// <summary>Exception and interrupt deliveries.</summary>
    public long Events;
    /// <summary>Branches retired.</summary>
    public long Branches;
    /// <summary>Front-end refill cycles: after each serialising instruction or mispredicted branch, the cycles from its completion until fetch resumes.</summary>
    public long RefillCycles;
}
