namespace KmlSim.Interrupts;

/// <summary>The outcome of an exception raised during the delivery of another.</summary>
public enum SecondExceptionAction
{
    /// <summary>The second exception is handled instead (serially).</summary>
    DeliverSecond,
    /// <summary>A double-fault exception (#DF, error code 0) is raised.</summary>
    DoubleFault,
    /// <summary>The processor shuts down: a triple fault.</summary>
    TripleFault,
}
