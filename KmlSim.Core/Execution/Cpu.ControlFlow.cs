namespace KmlSim.Execution;

/// <summary>ControlFlow instructions.</summary>
public sealed partial class Cpu
{
    internal static void RegisterControlFlow(HandlerTable table)
    {
    }
}
