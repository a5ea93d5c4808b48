namespace KmlSim.Kernel.Files;

/// <summary>
/// A host symbolic link seen through a mapping: its target text is read once and interpreted inside the
/// simulation (never on the host); its owner, times and mode are the host link's own (lstat).
/// </summary>
internal sealed class HostSymlink(long number, HostSandbox sandbox, string hostPath, string target) : SymlinkNode(number, target)
{
    /// <inheritdoc/>
    public override byte[]? HostStat() => sandbox.Contains(Path.GetDirectoryName(hostPath) ?? "/") ? HostStatus.Of(hostPath) : null;
}
