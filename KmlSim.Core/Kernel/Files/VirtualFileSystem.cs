using KmlSim.Kernel.Process;

namespace KmlSim.Kernel.Files;

/// <summary>
/// The simulated file system: an in-memory tree with /dev/null, /dev/zero, /dev/urandom (seeded),
/// /proc/self/exe and /tmp, into which host files and directories are mapped read-only. Nothing here
/// touches the host except through a mapping's <see cref="HostSandbox"/>.
/// </summary>
internal sealed class VirtualFileSystem
{
    private const uint DirectoryPermissions = 0x1ED; // rwxr-xr-x
    private const uint StickyWorldWritable = 0x3FF; // rwxrwxrwt, as /tmp (and here the root directory)
    private readonly List<(string Guest, string HostRoot)> mappings = new();
    private long nextInode = 1;

    /// <summary>The top-level names a host root never shows: the simulation's own /dev, /proc, /sys and /tmp.</summary>
    private static readonly string[] SimulatedTopLevel = ["dev", "proc", "sys", "tmp"];

    /// <summary>Creates the tree; <paramref name="seed"/> drives /dev/urandom.</summary>
    public VirtualFileSystem(int seed)
    {
        // The root directory is root's, but world-writable and sticky, so that the process's user may create
        // its files in the default working directory and cannot remove or rename what root keeps there.
        Root = new MemoryDirectory(NextInodeNumber(), StickyWorldWritable, null, "") { OwnerId = ProcessIdentity.RootId };
        var random = new Random(seed);
        DirectoryNode dev = MakeDirectories("/dev");
        dev.Add("null", new DeviceNode(NextInodeNumber(), DeviceNode.Device.Null, random));
        dev.Add("zero", new DeviceNode(NextInodeNumber(), DeviceNode.Device.Zero, random));
        dev.Add("urandom", new DeviceNode(NextInodeNumber(), DeviceNode.Device.Urandom, random));
        MakeDirectories("/proc/self").Add("exe", new SelfExecutableLink(NextInodeNumber()));
        MakeDirectories("/tmp").Permissions = StickyWorldWritable;
    }

    /// <summary>The root directory.</summary>
    public DirectoryNode Root { get; }

    /// <summary>A fresh inode number.</summary>
    public long NextInodeNumber() => nextInode++;

    /// <summary>Resolves an absolute path for the host API (links followed, /proc/self/exe names nothing).</summary>
    public PathLookup Resolve(string path, bool followLast = true) => PathResolver.Resolve(Root, Root, path, followLast, "");

    /// <summary>Creates the directories of <paramref name="path"/> that are missing and returns the last.</summary>
    /// <exception cref="ArgumentException">A component exists and is not a directory, or lies in a read-only mapping.</exception>
    public DirectoryNode MakeDirectories(string path)
    {
        DirectoryNode directory = Root;
        foreach (string part in SplitAbsolute(path))
        {
            Inode? node = directory.Lookup(part);
            if (node is null)
            {
                var created = new MemoryDirectory(NextInodeNumber(), DirectoryPermissions, directory, part);
                if (directory.Add(part, created) != 0)
                {
                    throw new ArgumentException($"cannot create '{part}' in {directory.AbsolutePath()} (read-only mapping)", nameof(path));
                }

                node = created;
            }

            directory = node as DirectoryNode ?? throw new ArgumentException($"'{part}' in '{path}' is not a directory", nameof(path));
        }

        return directory;
    }

    /// <summary>
    /// Makes the directory at <paramref name="path"/> (created if missing, rwxr-xr-x) and everything under it
    /// root's: the process's user may then read and execute there, but neither create, remove nor change.
    /// </summary>
    public void GiveToRoot(string path)
    {
        var pending = new Stack<Inode>();
        pending.Push(MakeDirectories(path));
        while (pending.TryPop(out Inode? node))
        {
            node.OwnerId = ProcessIdentity.RootId;
            if (node is DirectoryNode directory)
            {
                foreach (KeyValuePair<string, Inode> entry in directory.Entries())
                {
                    pending.Push(entry.Value);
                }
            }
        }
    }

    /// <summary>Places <paramref name="node"/> at the absolute path <paramref name="path"/>, creating parent directories.</summary>
    /// <exception cref="ArgumentException">The path is the root, or something already exists there.</exception>
    public void Place(string path, Inode node)
    {
        string[] parts = SplitAbsolute(path);
        if (parts.Length == 0)
        {
            throw new ArgumentException("cannot replace the root directory", nameof(path));
        }

        DirectoryNode parent = MakeDirectories("/" + string.Join('/', parts[..^1]));
        if (parent.Add(parts[^1], node) != 0)
        {
            throw new ArgumentException($"'{path}' already exists in the simulated file system", nameof(path));
        }
    }

    /// <summary>Maps a host file read-only at <paramref name="guestPath"/>.</summary>
    public void MapHostFile(string guestPath, string hostPath)
    {
        var sandbox = new HostSandbox(hostPath);
        if (!File.Exists(sandbox.Root))
        {
            throw new ArgumentException($"'{hostPath}' is not a file", nameof(hostPath));
        }

        Place(guestPath, new HostFile(NextInodeNumber(), sandbox, sandbox.Root) { LinkCount = 0 });
        mappings.Add((guestPath, sandbox.Root));
    }

    /// <summary>Maps a host directory tree read-only at <paramref name="guestPath"/>.</summary>
    public void MapHostDirectory(string guestPath, string hostPath)
    {
        var sandbox = new HostSandbox(hostPath);
        if (!Directory.Exists(sandbox.Root))
        {
            throw new ArgumentException($"'{hostPath}' is not a directory", nameof(hostPath));
        }

        string[] parts = SplitAbsolute(guestPath);
        if (parts.Length == 0)
        {
            throw new ArgumentException("cannot map over the root directory", nameof(guestPath));
        }

        DirectoryNode parent = MakeDirectories("/" + string.Join('/', parts[..^1]));
        Place(guestPath, new HostDirectory(this, sandbox, sandbox.Root, parent, parts[^1]) { LinkCount = 2 });
        mappings.Add(("/" + string.Join('/', parts), sandbox.Root));
    }

    /// <summary>
    /// Shows the host directory <paramref name="hostRoot"/> read-only as the root: each of its top-level
    /// entries (those named in <paramref name="entries"/>, or all) but /dev, /proc, /sys and /tmp becomes a
    /// read-only mapping of that directory or file, or a simulated link with the host link's target text
    /// (so /lib -> usr/lib resolves inside the guest's tree). The root itself stays in memory: new top-level
    /// names are the guest's own.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The host path is not a directory.</exception>
    public void ShowHostRoot(string hostRoot, IReadOnlyList<string>? entries)
    {
        string? real = HostSandbox.RealPath(Path.GetFullPath(hostRoot));
        if (real is null || !Directory.Exists(real))
        {
            throw new DirectoryNotFoundException($"the guest root '{hostRoot}' is not a host directory");
        }

        var names = Directory.EnumerateFileSystemEntries(real).Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        foreach (string name in names)
        {
            if (SimulatedTopLevel.Contains(name) || (entries is not null && !entries.Contains(name)))
            {
                continue;
            }

            string host = Path.Join(real, name);
            FileSystemInfo info = new FileInfo(host);
            if (info.LinkTarget is { } target)
            {
                Root.Add(name, new HostSymlink(NextInodeNumber(), new HostSandbox(real), host, target));
            }
            else if (Directory.Exists(host))
            {
                MapHostDirectory("/" + name, host);
            }
            else if (info.Exists)
            {
                MapHostFile("/" + name, host);
            }
        }
    }

    /// <summary>
    /// Where the host file <paramref name="hostPath"/> appears in the guest's tree through a mapping or the
    /// root (its real path, host links followed, lies inside what is mapped), or null when it does not.
    /// </summary>
    public string? GuestPathOfHostFile(string hostPath)
    {
        if (HostSandbox.RealPath(Path.GetFullPath(hostPath)) is not { } real)
        {
            return null;
        }

        foreach ((string guest, string root) in mappings)
        {
            if (real == root)
            {
                return guest;
            }

            if (real.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal))
            {
                return guest + real[root.TrimEnd('/').Length..];
            }
        }

        return null;
    }

    private static string[] SplitAbsolute(string path)
    {
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException($"'{path}' is not an absolute path", nameof(path));
        }

        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (Array.Exists(parts, p => p is "." or ".."))
        {
            throw new ArgumentException($"'{path}' contains '.' or '..'", nameof(path));
        }

        return parts;
    }
}
