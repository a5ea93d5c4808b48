namespace KmlSim.Execution;

/// <summary>System instructions.</summary>
public sealed partial class Cpu
{
    internal static void RegisterSystem(HandlerTable table)
    {
    }
}
