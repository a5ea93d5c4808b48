namespace KmlSim.Kernel.Files;

/// <summary>A regular file: bytes addressed by offset.</summary>
internal abstract class FileNode(long number, uint permissions) : Inode(number, permissions)
{
    /// <inheritdoc/>
    public override NodeKind Kind => NodeKind.Regular;

    /// <summary>Copies bytes from <paramref name="offset"/>; returns how many (0 at or past the end).</summary>
    public abstract int Read(long offset, Span<byte> destination);

    /// <summary>Writes bytes at <paramref name="offset"/> (a gap reads as zeros); returns the count or a negated errno.</summary>
    public abstract long Write(long offset, ReadOnlySpan<byte> source);

    /// <summary>Sets the size (ftruncate, O_TRUNC); returns 0 or a negated errno.</summary>
    public abstract long Truncate(long length);
}
