namespace KmlSim.Kernel.Files;

/// <summary>/proc/self/exe: a link whose target depends on who looks, the path the process was started from.</summary>
internal sealed class SelfExecutableLink(long number) : SymlinkNode(number, "")
{
    /// <inheritdoc/>
    public override long Size => 0; // procfs links report size 0

    /// <inheritdoc/>
    public override string Target(string executablePath) => executablePath;
}
