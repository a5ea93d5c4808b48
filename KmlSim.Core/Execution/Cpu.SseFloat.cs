namespace KmlSim.Execution;

/// <summary>SseFloat instructions.</summary>
public sealed partial class Cpu
{
    internal static void RegisterSseFloat(HandlerTable table)
    {
    }
}
