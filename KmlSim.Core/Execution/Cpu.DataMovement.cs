namespace KmlSim.Execution;

/// <summary>DataMovement instructions.</summary>
public sealed partial class Cpu
{
    internal static void RegisterDataMovement(HandlerTable table)
    {
    }
}
