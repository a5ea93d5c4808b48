using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel.Files;

/// <summary>A directory that exists only in the simulation.</summary>
internal sealed class MemoryDirectory : DirectoryNode
{
    private readonly SortedDictionary<string, Inode> children = new(StringComparer.Ordinal);

    /// <summary>Creates a directory under <paramref name="parent"/> (null: the root, its own parent).</summary>
    public MemoryDirectory(long number, uint permissions, DirectoryNode? parent, string name)
        : base(number, permissions, parent, name)
    {
        Parent ??= this;
        LinkCount = 2;
    }

    /// <inheritdoc/>
    public override Inode? Lookup(string name) => children.GetValueOrDefault(name);

    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, Inode>> Entries() => [.. children];

    /// <inheritdoc/>
    public override long Add(string name, Inode node)
    {
        if (Removed)
        {
            return -Errno.ENOENT;
        }

        if (!children.TryAdd(name, node))
        {
            return -Errno.EEXIST;
        }

        if (node is DirectoryNode directory)
        {
            directory.Parent = this;
            directory.Name = name;
            LinkCount++;
        }
        else
        {
            node.LinkCount++;
        }

        return 0;
    }

    /// <inheritdoc/>
    public override long Remove(string name)
    {
        if (!children.Remove(name, out Inode? node))
        {
            return -Errno.ENOENT;
        }

        if (node is DirectoryNode)
        {
            LinkCount--;
        }
        else
        {
            node.LinkCount--;
        }

        return 0;
    }
}
