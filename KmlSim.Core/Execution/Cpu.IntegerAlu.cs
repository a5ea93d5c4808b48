namespace KmlSim.Execution;

/// <summary>IntegerAlu instructions.</summary>
public sealed partial class Cpu
{
    internal static void RegisterIntegerAlu(HandlerTable table)
    {
    }
}
