namespace KmlSim.Execution;

/// <summary>Strings instructions.</summary>
public sealed partial class Cpu
{
    internal static void RegisterStrings(HandlerTable table)
    {
    }
}
