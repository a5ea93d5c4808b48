namespace KmlSim.Execution;

/// <summary>MultiplyDivide instructions.</summary>
public sealed partial class Cpu
{
    internal static void RegisterMultiplyDivide(HandlerTable table)
    {
    }
}
