namespace KmlSim.Execution;

/// <summary>SseFloat instructions.</summary>
public sealed unsafe partial class Cpu
{
    internal static void RegisterSseFloat(HandlerTable table)
    {
    }
}
