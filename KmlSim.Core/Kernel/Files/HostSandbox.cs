namespace KmlSim.Kernel.Files;

/// <summary>
/// The host tree behind one mapping, and the check every host access passes: the real path (all host
/// symbolic links followed) of what is touched must be the mapped root or lie below it. Children of a
/// mapped directory are found by name only and host links are shown to the guest as simulated links, so
/// the check is a second line: it catches a host file swapped for a link to outside after it was listed.
/// </summary>
internal sealed class HostSandbox
{
    private const int MaxLinkHops = 40;

    /// <summary>Maps the host path <paramref name="hostRoot"/> (made absolute, links resolved).</summary>
    /// <exception cref="FileNotFoundException">The path does not exist or resolves outside any real file.</exception>
    public HostSandbox(string hostRoot)
    {
        Root = RealPath(Path.GetFullPath(hostRoot)) ?? throw new FileNotFoundException("host path to map does not exist", hostRoot);
    }

    /// <summary>The real path of the mapped root.</summary>
    public string Root { get; }

    /// <summary>True when the real path of <paramref name="hostPath"/> exists and is the root or inside it.</summary>
    public bool Contains(string hostPath) => RealPath(hostPath) is { } real && IsUnderRoot(real);

    /// <summary>
    /// Reads a whole host file, refusing (null) unless the file actually opened lies inside the root: the
    /// check reads /proc/self/fd of the open handle, so a link swapped in between check and open is caught.
    /// </summary>
    public byte[]? ReadVerified(string hostPath)
    {
        try
        {
            using var stream = new FileStream(hostPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            string? opened = new FileInfo($"/proc/self/fd/{stream.SafeFileHandle.DangerousGetHandle()}").LinkTarget;
            if (opened is null || !IsUnderRoot(opened) || stream.Length > MemoryFile.MaxLength)
            {
                return null; // outside the mapping, or larger than a simulated file may be
            }

            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private bool IsUnderRoot(string real) =>
        real == Root || real.StartsWith(Root.EndsWith('/') ? Root : Root + "/", StringComparison.Ordinal);

    /// <summary>realpath(3): the absolute path with every link in every component followed; null if missing or looping.</summary>
    public static string? RealPath(string absolutePath)
    {
        var pending = new Stack<string>(absolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        string current = "/";
        int hops = 0;
        while (pending.Count > 0)
        {
            string part = pending.Pop();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            string next = Path.Join(current, part);
            FileSystemInfo info = new FileInfo(next);
            if (!info.Exists && !Directory.Exists(next))
            {
                return null;
            }

            if (info.LinkTarget is { } target)
            {
                if (++hops > MaxLinkHops)
                {
                    return null;
                }

                foreach (string p in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(p);
                }

                if (target.StartsWith('/'))
                {
                    current = "/";
                }

                continue;
            }

            current = next;
        }

        return current;
    }
}
