namespace KmlSim.Interrupts;

/// <summary>Classification and the double-fault rules of APM vol. 2, table 8-8.</summary>
public static class ExceptionClasses
{
    /// <summary>The class of a processor exception vector.</summary>
    public static ExceptionClass Of(ExceptionVector vector) => vector switch
    {
        ExceptionVector.DivideError or ExceptionVector.InvalidTss or ExceptionVector.SegmentNotPresent
            or ExceptionVector.StackFault or ExceptionVector.GeneralProtection => ExceptionClass.Contributory,
        ExceptionVector.PageFault => ExceptionClass.PageFault,
        ExceptionVector.DoubleFault => ExceptionClass.DoubleFault,
        _ => ExceptionClass.Benign,
    };

    /// <summary>What the processor does when <paramref name="second"/> occurs while delivering <paramref name="first"/>.</summary>
    public static SecondExceptionAction Combine(ExceptionClass first, ExceptionClass second)
    {
        bool serious = second is ExceptionClass.Contributory or ExceptionClass.PageFault;
        return first switch
        {
            ExceptionClass.DoubleFault when serious => SecondExceptionAction.TripleFault,
            ExceptionClass.Contributory when second == ExceptionClass.Contributory => SecondExceptionAction.DoubleFault,
            ExceptionClass.PageFault when serious => SecondExceptionAction.DoubleFault,
            _ => SecondExceptionAction.DeliverSecond,
        };
    }
}
