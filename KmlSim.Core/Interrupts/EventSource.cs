namespace KmlSim.Interrupts;

/// <summary>Where an event being delivered through the IDT comes from.</summary>
internal enum EventSource : byte
{
    /// <summary>A processor exception (fault or abort; #DF included).</summary>
    Exception,
    /// <summary>INT n, INT3: the gate's DPL is checked against the CPL, and the saved RIP is the next instruction.</summary>
    Software,
    /// <summary>An external interrupt (the local timer, an injected vector).</summary>
    External,
}
