using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel.Files;

/// <summary>
/// Path walking as Linux does it (fs/namei.c): absolute paths start at the root, relative ones at the
/// starting directory; "." stays, ".." goes to the simulated parent (the root's parent is the root);
/// symbolic links in the middle are always followed, the last one only when asked; at most 40 links per
/// walk (ELOOP); components longer than 255 bytes give ENAMETOOLONG.
/// </summary>
internal static class PathResolver
{
    private const int MaxLinks = 40;
    private const int MaxComponent = 255;

    /// <summary>Resolves <paramref name="path"/> from <paramref name="start"/>.</summary>
    /// <param name="root">The root directory.</param>
    /// <param name="start">Where a relative path begins (the cwd, or a directory descriptor).</param>
    /// <param name="path">The path.</param>
    /// <param name="followLast">Follow a link named by the last component.</param>
    /// <param name="executablePath">What /proc/self/exe names for the caller.</param>
    public static PathLookup Resolve(DirectoryNode root, DirectoryNode start, string path, bool followLast, string executablePath)
    {
        int links = 0;
        return Walk(root, start, path, followLast, executablePath, ref links);
    }

    private static PathLookup Walk(DirectoryNode root, DirectoryNode start, string path, bool followLast, string executablePath, ref int links)
    {
        if (path.Length == 0)
        {
            return PathLookup.Failed(-Errno.ENOENT);
        }

        DirectoryNode directory = path[0] == '/' ? root : start;
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        bool trailingSlash = path[^1] == '/';
        if (parts.Length == 0)
        {
            return new PathLookup(0, root, "/", root, true);
        }

        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            bool last = i == parts.Length - 1;
            Inode? node;
            if (part == ".")
            {
                node = directory;
            }
            else if (part == "..")
            {
                node = directory.Parent;
            }
            else if (Encoding.GetByteCount(part) > MaxComponent)
            {
                return PathLookup.Failed(-Errno.ENAMETOOLONG);
            }
            else
            {
                node = directory.Lookup(part);
            }

            if (node is null)
            {
                return last ? new PathLookup(0, directory, part, null, trailingSlash) : PathLookup.Failed(-Errno.ENOENT);
            }

            if (node is SymlinkNode link && (!last || followLast || trailingSlash))
            {
                if (++links > MaxLinks)
                {
                    return PathLookup.Failed(-Errno.ELOOP);
                }

                PathLookup target = Walk(root, directory, link.Target(executablePath), followLast: true, executablePath, ref links);
                if (target.Error != 0)
                {
                    return target;
                }

                if (target.Node is null)
                {
                    // A dangling link: the last component may still be created through it (open O_CREAT).
                    return last ? target with { TrailingSlash = trailingSlash } : PathLookup.Failed(-Errno.ENOENT);
                }

                node = target.Node;
            }

            if (last)
            {
                if (trailingSlash && node is not DirectoryNode && node is not SymlinkNode)
                {
                    return PathLookup.Failed(-Errno.ENOTDIR);
                }

                return new PathLookup(0, directory, part, node, trailingSlash);
            }

            if (node is not DirectoryNode next)
            {
                return PathLookup.Failed(-Errno.ENOTDIR);
            }

            directory = next;
        }

        throw new InvalidOperationException("unreachable: the loop returns at the last component");
    }

    private static System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
}
