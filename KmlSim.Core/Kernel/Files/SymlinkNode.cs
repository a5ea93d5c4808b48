namespace KmlSim.Kernel.Files;

/// <summary>
/// A symbolic link. Its target is text interpreted inside the simulated name space (never on the host),
/// so even a link copied from a mapped host tree cannot lead out of the simulation.
/// </summary>
internal class SymlinkNode(long number, string target) : Inode(number, 0x1FF)
{
    /// <inheritdoc/>
    public override NodeKind Kind => NodeKind.Symlink;

    /// <inheritdoc/>
    public override long Size => System.Text.Encoding.UTF8.GetByteCount(target);

    /// <summary>The link's target for a process whose executable is <paramref name="executablePath"/>.</summary>
    public virtual string Target(string executablePath) => target;
}
