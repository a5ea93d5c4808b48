namespace KmlSim.Execution;

/// <summary>SseInteger instructions.</summary>
public sealed partial class Cpu
{
    internal static void RegisterSseInteger(HandlerTable table)
    {
    }
}
