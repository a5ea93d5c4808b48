using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel.Files;

/// <summary>
/// A host directory mapped read-only. Children are looked up by name on the host and remembered (stable
/// inode numbers); a host symbolic link becomes a <see cref="SymlinkNode"/> with the same target text,
/// which the resolver interprets inside the simulation, never on the host. Its mode, owner, times and link
/// count are the host's.
/// </summary>
internal sealed class HostDirectory(VirtualFileSystem owner, HostSandbox sandbox, string hostPath, DirectoryNode parent, string name)
    : DirectoryNode(owner.NextInodeNumber(), HostStatus.PermissionsOf(hostPath), parent, name)
{
    private readonly Dictionary<string, Inode> known = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public override bool IsReadOnly => true;

    /// <inheritdoc/>
    public override byte[]? HostStat() => sandbox.Contains(hostPath) ? HostStatus.Of(hostPath) : null;

    /// <inheritdoc/>
    public override Inode? Lookup(string childName)
    {
        if (known.TryGetValue(childName, out Inode? node))
        {
            return node;
        }

        string childPath = Path.Join(hostPath, childName);
        if (!sandbox.Contains(hostPath))
        {
            return null;
        }

        FileSystemInfo info = new FileInfo(childPath);
        if (info.LinkTarget is { } target)
        {
            node = new HostSymlink(owner.NextInodeNumber(), sandbox, childPath, target);
        }
        else if (Directory.Exists(childPath))
        {
            node = new HostDirectory(owner, sandbox, childPath, this, childName) { LinkCount = 2 };
        }
        else if (info.Exists)
        {
            node = new HostFile(owner.NextInodeNumber(), sandbox, childPath);
        }
        else
        {
            return null;
        }

        node.LinkCount = Math.Max(node.LinkCount, 1);
        known[childName] = node;
        return node;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, Inode>> Entries()
    {
        if (!sandbox.Contains(hostPath))
        {
            return [];
        }

        var names = new List<string>();
        try
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(hostPath))
            {
                names.Add(Path.GetFileName(entry));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        names.Sort(StringComparer.Ordinal);
        var entries = new List<KeyValuePair<string, Inode>>(names.Count);
        foreach (string child in names)
        {
            if (Lookup(child) is { } node)
            {
                entries.Add(new(child, node));
            }
        }

        return entries;
    }

    /// <inheritdoc/>
    public override long Add(string childName, Inode node) => -Errno.EROFS;

    /// <inheritdoc/>
    public override long Remove(string childName) => -Errno.EROFS;
}
