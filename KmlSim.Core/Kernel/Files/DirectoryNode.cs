namespace KmlSim.Kernel.Files;

/// <summary>
/// A directory. Every directory has one parent (the root is its own), which is what `..` follows: `..`
/// moves through the simulated tree, never through the host's, even at the top of a mapped host directory.
/// </summary>
internal abstract class DirectoryNode(long number, uint permissions, DirectoryNode? parent, string name) : Inode(number, permissions)
{
    /// <inheritdoc/>
    public override NodeKind Kind => NodeKind.Directory;

    /// <summary>The directory `..` names (the root's parent is the root).</summary>
    public DirectoryNode Parent { get; set; } = parent!;

    /// <summary>The name under which the parent lists this directory ("" for the root).</summary>
    public string Name { get; set; } = name;

    /// <summary>Set once the directory is removed: getcwd then fails and nothing can be created in it.</summary>
    public bool Removed { get; set; }

    /// <summary>The child called <paramref name="name"/> (never "." or ".."), or null.</summary>
    public abstract Inode? Lookup(string name);

    /// <summary>The children in a stable order (ordinal by name).</summary>
    public abstract IReadOnlyList<KeyValuePair<string, Inode>> Entries();

    /// <summary>Adds a child; 0 or a negated errno (EEXIST, EROFS).</summary>
    public abstract long Add(string name, Inode node);

    /// <summary>Removes a child by name; 0 or a negated errno.</summary>
    public abstract long Remove(string name);

    /// <summary>True when this directory is <paramref name="other"/> or lies below it.</summary>
    public bool IsWithin(DirectoryNode other)
    {
        for (DirectoryNode d = this; ; d = d.Parent)
        {
            if (d == other)
            {
                return true;
            }

            if (d.Parent == d)
            {
                return false;
            }
        }
    }

    /// <summary>The absolute path of this directory in the simulated tree.</summary>
    public string AbsolutePath()
    {
        if (Parent == this)
        {
            return "/";
        }

        var parts = new List<string>();
        for (DirectoryNode d = this; d.Parent != d; d = d.Parent)
        {
            parts.Add(d.Name);
        }

        parts.Reverse();
        return "/" + string.Join('/', parts);
    }
}
