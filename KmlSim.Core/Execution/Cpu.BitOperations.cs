namespace KmlSim.Execution;

/// <summary>BitOperations instructions.</summary>
public sealed partial class Cpu
{
    internal static void RegisterBitOperations(HandlerTable table)
    {
    }
}
