using KmlSim.Kernel.Files;

namespace KmlSim;

/// <summary>
/// The host's view of a machine's simulated file system: map host files and directories into it
/// read-only (the guest cannot write them, nor leave them by `..` or links), put files in it, and read
/// back what the guest wrote. Paths are absolute guest paths.
/// </summary>
/// <example>
/// <code>
/// machine.FileSystem.MapHostFile("/trusted/bin/wisc", "guests/bin/wisc");
/// machine.FileSystem.WriteFile("/data/input.txt", "hello"u8.ToArray());
/// // ... run ...
/// byte[] output = machine.FileSystem.ReadFile("/data/output.txt");
/// </code>
/// </example>
public sealed class MachineFileSystem
{
    private readonly VirtualFileSystem tree;

    internal MachineFileSystem(VirtualFileSystem tree)
    {
        this.tree = tree;
    }

    /// <summary>Maps the host file <paramref name="hostPath"/> read-only at <paramref name="guestPath"/>, creating parent directories.</summary>
    /// <exception cref="FileNotFoundException">The host file does not exist.</exception>
    /// <exception cref="ArgumentException">The guest path is not absolute, is taken, or the host path is not a file.</exception>
    public void MapHostFile(string guestPath, string hostPath) => tree.MapHostFile(guestPath, hostPath);

    /// <summary>Maps the host directory tree <paramref name="hostPath"/> read-only at <paramref name="guestPath"/>.</summary>
    /// <exception cref="FileNotFoundException">The host directory does not exist.</exception>
    /// <exception cref="ArgumentException">The guest path is not absolute, is taken, or the host path is not a directory.</exception>
    public void MapHostDirectory(string guestPath, string hostPath) => tree.MapHostDirectory(guestPath, hostPath);

    /// <summary>Creates a directory and its missing parents.</summary>
    /// <exception cref="ArgumentException">The path is not absolute, or a component is not a writable directory.</exception>
    public void CreateDirectory(string guestPath) => tree.MakeDirectories(guestPath);

    /// <summary>Creates or replaces a simulated file with <paramref name="contents"/> (mode rw-r--r--), creating parent directories.</summary>
    /// <exception cref="ArgumentException">The path is not absolute, names a directory or a mapped host file.</exception>
    public void WriteFile(string guestPath, ReadOnlySpan<byte> contents)
    {
        PathLookup found = tree.Resolve(guestPath);
        if (found.Error == -Kernel.Syscalls.Errno.ENOENT)
        {
            tree.MakeDirectories(Path.GetDirectoryName(guestPath) ?? "/");
            found = tree.Resolve(guestPath);
        }

        switch (found.Node)
        {
            case MemoryFile existing:
                existing.SetContents(contents);
                return;
            case null when found.Error == 0 && !found.TrailingSlash:
                var file = new MemoryFile(tree.NextInodeNumber(), 0x1A4);
                file.SetContents(contents);
                if (found.Parent!.Add(found.Name, file) != 0)
                {
                    throw new ArgumentException($"cannot create '{guestPath}' (read-only mapping)", nameof(guestPath));
                }

                return;
            default:
                throw new ArgumentException($"'{guestPath}' is not a simulated regular file (error {-found.Error})", nameof(guestPath));
        }
    }

    /// <summary>The contents of a file (simulated or mapped); links are followed.</summary>
    /// <exception cref="FileNotFoundException">Nothing readable is there.</exception>
    public byte[] ReadFile(string guestPath)
    {
        if (tree.Resolve(guestPath).Node is not FileNode file || (file is HostFile host && !host.TryLoad()))
        {
            throw new FileNotFoundException($"no regular file at '{guestPath}' in the simulated file system", guestPath);
        }

        var bytes = new byte[file.Size];
        file.Read(0, bytes);
        return bytes;
    }

    /// <summary>True when something exists at <paramref name="guestPath"/> (links followed).</summary>
    public bool Exists(string guestPath) => tree.Resolve(guestPath).Node is not null;

    /// <summary>The names in a directory, in order.</summary>
    /// <exception cref="DirectoryNotFoundException">There is no directory there.</exception>
    public IReadOnlyList<string> List(string guestPath) =>
        tree.Resolve(guestPath).Node is DirectoryNode directory
            ? directory.Entries().Select(e => e.Key).ToList()
            : throw new DirectoryNotFoundException($"no directory at '{guestPath}' in the simulated file system");

    /// <summary>The node at an absolute path, or null (internal: the machine loads executables through it).</summary>
    internal Inode? Find(string guestPath) => guestPath.StartsWith('/') ? tree.Resolve(guestPath).Node : null;

    /// <summary>The tree itself.</summary>
    internal VirtualFileSystem Tree => tree;
}
