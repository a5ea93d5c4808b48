namespace KmlSim.Kernel.Files;

/// <summary>
/// A node of the simulated file system. Numbers come from the owning <see cref="VirtualFileSystem"/> in
/// creation order, so the same run numbers its files the same way every time.
/// </summary>
internal abstract class Inode(long number, uint permissions)
{
    /// <summary>The inode number stat reports.</summary>
    public long Number { get; } = number;

    /// <summary>The kind of node (S_IFMT).</summary>
    public abstract NodeKind Kind { get; }

    /// <summary>The permission bits (rwx for user, group, other).</summary>
    public uint Permissions { get; set; } = permissions;

    /// <summary>
    /// The owner: the process's user (<see cref="Process.ProcessIdentity.UserId"/>) for whatever the process or
    /// the host made, root for what the kernel keeps from it (the root directory, KML's /trusted tree). Its
    /// group is the owner's own.
    /// </summary>
    public int OwnerId { get; set; } = Process.ProcessIdentity.UserId;

    /// <summary>Size in bytes as stat reports it.</summary>
    public virtual long Size => 0;

    /// <summary>True for nodes of a read-only host mapping: writes fail with EROFS.</summary>
    public virtual bool IsReadOnly => false;

    /// <summary>The st_rdev of a device node (0 otherwise).</summary>
    public virtual ulong DeviceNumber => 0;

    /// <summary>Hard links: the names a file has in directories (0 once unlinked), 2 + subdirectories for a directory.</summary>
    public int LinkCount { get; set; }

    /// <summary>The host's struct stat for a node backed by a host file or directory (what stat reports but the identity), else null.</summary>
    public virtual byte[]? HostStat() => null;

    /// <summary>The full mode word: kind and permissions.</summary>
    public uint Mode => (uint)Kind | Permissions;
}
