namespace KmlSim.Kernel.Files;

/// <summary>The anonymous node behind a pipe, a socket or a standard stream: no name, size 0, rw for the owner.</summary>
internal sealed class StreamNode(long number, NodeKind kind) : Inode(number, 0x180)
{
    /// <inheritdoc/>
    public override NodeKind Kind => kind;
}
