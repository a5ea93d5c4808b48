namespace KmlSim.Execution;

/// <summary>SseMoves instructions.</summary>
public sealed partial class Cpu
{
    internal static void RegisterSseMoves(HandlerTable table)
    {
    }
}
