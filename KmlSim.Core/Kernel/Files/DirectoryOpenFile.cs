using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel.Files;

/// <summary>
/// An open directory: getdents64 walks ".", ".." and the children as they were when the walk began
/// (rewinding with lseek to 0 takes a fresh listing); reads fail with EISDIR.
/// </summary>
internal sealed class DirectoryOpenFile(DirectoryNode directory, int statusFlags) : OpenFile(statusFlags)
{
    private IReadOnlyList<KeyValuePair<string, Inode>>? listing;
    private int position;

    /// <inheritdoc/>
    public override Inode Node => directory;

    /// <summary>The directory.</summary>
    public DirectoryNode Directory => directory;

    /// <inheritdoc/>
    public override long Read(Span<byte> destination) => -Errno.EISDIR;

    /// <inheritdoc/>
    public override long ReadAt(long offset, Span<byte> destination) => -Errno.EISDIR;

    /// <inheritdoc/>
    public override long Seek(long offset, int whence)
    {
        if (whence != SeekWhence.Set || offset < 0)
        {
            return -Errno.EINVAL;
        }

        position = (int)Math.Min(offset, int.MaxValue);
        if (position == 0)
        {
            listing = null;
        }

        return position;
    }

    /// <summary>The entry at the cursor (null at the end); <see cref="Advance"/> moves past it.</summary>
    public KeyValuePair<string, Inode>? Current()
    {
        listing ??= [new(".", directory), new("..", directory.Parent), .. directory.Entries()];
        return position < listing.Count ? listing[position] : null;
    }

    /// <summary>Moves the cursor to the next entry; returns the new offset (d_off of the entry passed).</summary>
    public long Advance() => ++position;
}
