namespace KmlSim.Execution;

/// <summary>X87 instructions.</summary>
public sealed partial class Cpu
{
    internal static void RegisterX87(HandlerTable table)
    {
    }

    private void ResetX87()
    {
    }
}
