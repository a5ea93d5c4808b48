namespace KmlSim.Execution;

/// <summary>Shifts instructions.</summary>
public sealed partial class Cpu
{
    internal static void RegisterShifts(HandlerTable table)
    {
    }
}
