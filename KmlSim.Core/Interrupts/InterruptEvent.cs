namespace KmlSim.Interrupts;

/// <summary>An interrupt or exception on its way through the IDT.</summary>
/// <param name="Vector">The vector.</param>
/// <param name="ErrorCode">The error code pushed with it, if its vector defines one.</param>
/// <param name="Source">Exception, software interrupt or external interrupt.</param>
/// <param name="ReturnRip">The RIP saved in the frame.</param>
internal readonly record struct InterruptEvent(byte Vector, uint? ErrorCode, EventSource Source, ulong ReturnRip)
{
    /// <summary>The class for the double-fault rules: software and external interrupts are benign whatever their vector.</summary>
    public ExceptionClass Class => Source == EventSource.Exception ? ExceptionClasses.Of((ExceptionVector)Vector) : ExceptionClass.Benign;

    /// <summary>EXT, bit 0 of error codes raised during this delivery: set unless the event is INT n.</summary>
    public bool External => Source != EventSource.Software;
}
