namespace KmlSim.Interrupts;

/// <summary>
/// The classes of AMD64 APM vol. 2, §8.2.9 (table 8-7) that decide what happens when an exception occurs
/// while the processor is delivering another one (table 8-8).
/// </summary>
public enum ExceptionClass
{
    /// <summary>Benign: every other exception, software interrupts and external interrupts.</summary>
    Benign,
    /// <summary>Contributory: #DE, #TS, #NP, #SS, #GP.</summary>
    Contributory,
    /// <summary>#PF.</summary>
    PageFault,
    /// <summary>#DF itself.</summary>
    DoubleFault,
}
