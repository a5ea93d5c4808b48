using System.Text;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;

namespace KmlSim.Kernel.Syscalls;

/// <summary>
/// Calls that name files: open and its forms, the stat family, access, directories, links, renames and
/// the working directory. Relative paths start at the working directory or, for the *at forms, at a
/// directory descriptor (AT_FDCWD = the working directory).
/// </summary>
internal static partial class SyscallDispatcher
{
    internal const int AtFdCwd = -100;
    internal const int AtSymlinkNoFollow = 0x100;
    internal const int AtRemoveDir = 0x200;
    internal const int AtEmptyPath = 0x1000;
    private const int AccessModeMask = 7; // R_OK | W_OK | X_OK
    private const int WriteAccess = 2;
    private const uint PermissionMask = 0xFFF;

    /// <summary>Resolves a guest path argument; EFAULT, EBADF or ENOTDIR for a bad pointer or directory descriptor.</summary>
    private static PathLookup LookUp(GuestProcess p, int directoryFd, ulong pathAddress, bool followLast)
    {
        string? path = p.User.TryReadPath(pathAddress);
        if (path is null)
        {
            return PathLookup.Failed(-Errno.EFAULT);
        }

        return LookUp(p, directoryFd, path, followLast);
    }

    private static PathLookup LookUp(GuestProcess p, int directoryFd, string path, bool followLast)
    {
        DirectoryNode start = p.WorkingDirectory;
        if (path.Length > 0 && path[0] != '/' && directoryFd != AtFdCwd)
        {
            switch (p.Files.Get(directoryFd))
            {
                case null:
                    return PathLookup.Failed(-Errno.EBADF);
                case DirectoryOpenFile directory:
                    start = directory.Directory;
                    break;
                default:
                    return PathLookup.Failed(-Errno.ENOTDIR);
            }
        }

        return PathResolver.Resolve(p.FileSystem.Root, start, path, followLast, p.ExecutablePath);
    }

    internal static long Open(GuestProcess p, int directoryFd, ulong pathAddress, int flags, uint mode)
    {
        bool create = (flags & OpenFlags.Create) != 0;
        bool exclusive = create && (flags & OpenFlags.Exclusive) != 0;
        PathLookup found = LookUp(p, directoryFd, pathAddress, followLast: !exclusive && (flags & OpenFlags.NoFollow) == 0);
        if (found.Error != 0)
        {
            return found.Error;
        }

        int access = flags & OpenFlags.AccessMode;
        bool writes = access != OpenFlags.ReadOnly || (flags & OpenFlags.Truncate) != 0;
        Inode? node = found.Node;
        if (node is null)
        {
            if (!create)
            {
                return -Errno.ENOENT;
            }

            if (found.TrailingSlash)
            {
                return -Errno.EISDIR;
            }

            long refused = CreationRefusal(found.Parent!);
            if (refused != 0)
            {
                return refused;
            }

            var file = new MemoryFile(p.FileSystem.NextInodeNumber(), mode & ~p.FileCreationMask & PermissionMask);
            long added = found.Parent!.Add(found.Name, file);
            if (added != 0)
            {
                return added;
            }

            node = file;
        }
        else
        {
            long refused = exclusive ? -Errno.EEXIST : OpenRefusal(node, flags, writes);
            if (refused != 0)
            {
                return refused;
            }
        }

        if (node is FileNode truncated && (flags & OpenFlags.Truncate) != 0)
        {
            truncated.Truncate(0); // cannot fail: a read-only file was refused above
        }

        OpenFile? opened = node switch
        {
            HostFile host when !host.TryLoad() => null,
            FileNode file => new RegularOpenFile(file, flags | OpenFlags.LargeFile),
            DirectoryNode directory => new DirectoryOpenFile(directory, flags | OpenFlags.LargeFile),
            DeviceNode device => new DeviceOpenFile(device, flags | OpenFlags.LargeFile),
            _ => null,
        };
        return opened is null ? -Errno.EACCES : p.Files.Allocate(opened, (flags & OpenFlags.CloseOnExec) != 0, limit: OpenLimit(p));
    }

    /// <summary>Why an existing node may not be opened with <paramref name="flags"/> (0 when it may).</summary>
    private static long OpenRefusal(Inode node, int flags, bool writes)
    {
        if (node is SymlinkNode)
        {
            return -Errno.ELOOP; // O_NOFOLLOW on a link
        }

        if ((flags & OpenFlags.Directory) != 0 && node is not DirectoryNode)
        {
            return -Errno.ENOTDIR;
        }

        if (node is DirectoryNode && (writes || (flags & OpenFlags.Create) != 0))
        {
            return -Errno.EISDIR;
        }

        if (writes && node.IsReadOnly)
        {
            return -Errno.EROFS;
        }

        return PermissionRefusal(node, (flags & OpenFlags.AccessMode) switch { OpenFlags.ReadOnly => 4, OpenFlags.WriteOnly => 2, _ => 6 });
    }

    /// <summary>
    /// EACCES unless <paramref name="node"/>'s permission bits grant <paramref name="wanted"/> (R=4, W=2, X=1)
    /// to the process's user: the owner bits on its own nodes, the others' bits on root's (its group owns none).
    /// </summary>
    private static long PermissionRefusal(Inode node, int wanted)
    {
        int shift = node.OwnerId == ProcessIdentity.UserId ? 6 : 0;
        return ((node.Permissions >> shift) & wanted) == wanted ? 0 : -Errno.EACCES;
    }

    /// <summary>Linux's may_create: a new entry in <paramref name="directory"/> needs write and search permission there.</summary>
    private static long CreationRefusal(DirectoryNode directory) => directory.IsReadOnly ? -Errno.EROFS : PermissionRefusal(directory, 3);

    /// <summary>
    /// Linux's may_delete: removing or replacing <paramref name="victim"/> needs write and search permission on
    /// <paramref name="directory"/>, and in a sticky directory (the root directory, /tmp) that the process's
    /// user owns either the directory or the victim (EPERM).
    /// </summary>
    private static long DeletionRefusal(DirectoryNode directory, Inode victim)
    {
        const uint sticky = 0x200;
        long refused = PermissionRefusal(directory, 3);
        bool othersEntry = (directory.Permissions & sticky) != 0 && directory.OwnerId != ProcessIdentity.UserId && victim.OwnerId != ProcessIdentity.UserId;
        return refused != 0 ? refused : othersEntry ? -Errno.EPERM : 0;
    }

    private static int OpenLimit(GuestProcess p) => (int)Math.Min(p.Limits[ResourceLimits.OpenFiles].Soft, int.MaxValue);

    internal static long Stat(GuestProcess p, int directoryFd, ulong pathAddress, ulong statAddress, int flags)
    {
        long error = StatTarget(p, directoryFd, pathAddress, flags, out Inode? node);
        return error != 0 ? error : WriteStatus(p, node!, statAddress);
    }

    /// <summary>The node a stat-family call names: a path from a directory descriptor, or with AT_EMPTY_PATH and "" the descriptor itself.</summary>
    private static long StatTarget(GuestProcess p, int directoryFd, ulong pathAddress, int flags, out Inode? node)
    {
        node = null;
        string? path = p.User.TryReadPath(pathAddress);
        if (path is null)
        {
            return -Errno.EFAULT;
        }

        if (path.Length == 0 && (flags & AtEmptyPath) != 0)
        {
            node = directoryFd == AtFdCwd ? p.WorkingDirectory : p.Files.Get(directoryFd)?.Node;
            return node is null ? -Errno.EBADF : 0;
        }

        PathLookup found = LookUp(p, directoryFd, path, followLast: (flags & AtSymlinkNoFollow) == 0);
        node = found.Node;
        return found.Error != 0 ? found.Error : node is null ? -Errno.ENOENT : 0;
    }

    internal static long Fstat(GuestProcess p, int fd, ulong statAddress) =>
        p.Files.Get(fd) is { } file ? WriteStatus(p, file.Node, statAddress) : -Errno.EBADF;

    private static long WriteStatus(GuestProcess p, Inode node, ulong statAddress) =>
        p.User.TryWrite(statAddress, FileStatus.Of(node)) ? 0 : -Errno.EFAULT;

    internal static long Access(GuestProcess p, int directoryFd, ulong pathAddress, int mode, int flags)
    {
        if ((mode & ~AccessModeMask) != 0)
        {
            return -Errno.EINVAL;
        }

        PathLookup found = LookUp(p, directoryFd, pathAddress, followLast: (flags & AtSymlinkNoFollow) == 0);
        if (found.Error != 0 || found.Node is not { } node)
        {
            return found.Error != 0 ? found.Error : -Errno.ENOENT;
        }

        return (mode & WriteAccess) != 0 && node.IsReadOnly ? -Errno.EROFS : PermissionRefusal(node, mode);
    }

    internal static long MakeDirectory(GuestProcess p, int directoryFd, ulong pathAddress, uint mode)
    {
        PathLookup found = LookUp(p, directoryFd, pathAddress, followLast: false);
        if (found.Error != 0)
        {
            return found.Error;
        }

        if (found.Node is not null)
        {
            return -Errno.EEXIST;
        }

        long refused = CreationRefusal(found.Parent!);
        if (refused != 0)
        {
            return refused;
        }

        var directory = new MemoryDirectory(p.FileSystem.NextInodeNumber(), mode & ~p.FileCreationMask & PermissionMask, found.Parent, found.Name);
        return found.Parent!.Add(found.Name, directory);
    }

    internal static long Unlink(GuestProcess p, int directoryFd, ulong pathAddress, int flags)
    {
        if ((flags & ~AtRemoveDir) != 0)
        {
            return -Errno.EINVAL;
        }

        PathLookup found = LookUp(p, directoryFd, pathAddress, followLast: false);
        if (found.Error != 0 || found.Node is not { } node)
        {
            return found.Error != 0 ? found.Error : -Errno.ENOENT;
        }

        if ((flags & AtRemoveDir) == 0)
        {
            long denied = found.Parent!.IsReadOnly ? -Errno.EROFS : DeletionRefusal(found.Parent, node);
            return denied != 0 ? denied : node is DirectoryNode ? -Errno.EISDIR : found.Parent.Remove(found.Name);
        }

        if (node is not DirectoryNode directory)
        {
            return -Errno.ENOTDIR;
        }

        long refused = found.Name switch
        {
            "." => -Errno.EINVAL,
            ".." => -Errno.ENOTEMPTY,
            "/" => -Errno.EBUSY,
            _ when directory.IsReadOnly || found.Parent!.IsReadOnly => -Errno.EROFS,
            _ when DeletionRefusal(found.Parent, directory) is var denied and not 0 => denied,
            _ when directory.Entries().Count > 0 => -Errno.ENOTEMPTY,
            _ => 0,
        };
        if (refused != 0)
        {
            return refused;
        }

        long removed = found.Parent!.Remove(found.Name);
        directory.Removed = removed == 0;
        return removed;
    }

    internal static long Rename(GuestProcess p, int oldDirectoryFd, ulong oldAddress, int newDirectoryFd, ulong newAddress, uint flags)
    {
        if (flags != 0)
        {
            return -Errno.EINVAL; // RENAME_NOREPLACE, _EXCHANGE, _WHITEOUT are not offered
        }

        PathLookup from = LookUp(p, oldDirectoryFd, oldAddress, followLast: false);
        if (from.Error != 0 || from.Node is not { } node)
        {
            return from.Error != 0 ? from.Error : -Errno.ENOENT;
        }

        PathLookup to = LookUp(p, newDirectoryFd, newAddress, followLast: false);
        if (to.Error != 0)
        {
            return to.Error;
        }

        long refused = RenameRefusal(from, to, node);
        if (refused != 0 || to.Node == node)
        {
            return refused;
        }

        if (to.Node is not null)
        {
            to.Parent!.Remove(to.Name);
            if (to.Node is DirectoryNode replaced)
            {
                replaced.Removed = true;
            }
        }

        from.Parent!.Remove(from.Name);
        return to.Parent!.Add(to.Name, node);
    }

    private static long RenameRefusal(PathLookup from, PathLookup to, Inode node)
    {
        if (from.Name is "." or ".." or "/" || to.Name is "." or ".." or "/")
        {
            return -Errno.EBUSY;
        }

        if (from.Parent!.IsReadOnly || to.Parent!.IsReadOnly)
        {
            return -Errno.EROFS;
        }

        long denied = DeletionRefusal(from.Parent, node) is var fromRefused and not 0 ? fromRefused
            : to.Node is { } replaced ? DeletionRefusal(to.Parent, replaced)
            : CreationRefusal(to.Parent);
        if (denied == 0 && node is DirectoryNode && to.Parent != from.Parent)
        {
            denied = PermissionRefusal(node, 2); // its ".." changes
        }

        if (denied != 0)
        {
            return denied;
        }

        if (node is DirectoryNode moved)
        {
            if (to.Parent.IsWithin(moved))
            {
                return -Errno.EINVAL; // into its own subtree
            }

            return to.Node switch
            {
                null => 0,
                DirectoryNode target when target.Entries().Count > 0 => -Errno.ENOTEMPTY,
                DirectoryNode => 0,
                _ => -Errno.ENOTDIR,
            };
        }

        return to.Node is DirectoryNode ? -Errno.EISDIR : 0;
    }

    internal static long Symlink(GuestProcess p, ulong targetAddress, int directoryFd, ulong pathAddress)
    {
        string? target = p.User.TryReadPath(targetAddress);
        if (target is null)
        {
            return -Errno.EFAULT;
        }

        if (target.Length == 0)
        {
            return -Errno.ENOENT;
        }

        PathLookup found = LookUp(p, directoryFd, pathAddress, followLast: false);
        if (found.Error != 0)
        {
            return found.Error;
        }

        return found.Node is not null ? -Errno.EEXIST
            : CreationRefusal(found.Parent!) is var refused and not 0 ? refused
            : found.Parent!.Add(found.Name, new SymlinkNode(p.FileSystem.NextInodeNumber(), target));
    }

    internal static long Readlink(GuestProcess p, int directoryFd, ulong pathAddress, ulong buffer, int size)
    {
        if (size <= 0)
        {
            return -Errno.EINVAL;
        }

        PathLookup found = LookUp(p, directoryFd, pathAddress, followLast: false);
        if (found.Error != 0 || found.Node is not { } node)
        {
            return found.Error != 0 ? found.Error : -Errno.ENOENT;
        }

        if (node is not SymlinkNode link)
        {
            return -Errno.EINVAL;
        }

        byte[] target = Encoding.UTF8.GetBytes(link.Target(p.ExecutablePath));
        int n = Math.Min(size, target.Length); // readlink truncates silently and adds no terminator
        return p.User.TryWrite(buffer, target.AsSpan(0, n)) ? n : -Errno.EFAULT;
    }

    internal static long Truncate(GuestProcess p, ulong pathAddress, long length)
    {
        PathLookup found = LookUp(p, AtFdCwd, pathAddress, followLast: true);
        return found switch
        {
            { Error: not 0 } => found.Error,
            { Node: null } => -Errno.ENOENT,
            { Node: DirectoryNode } => -Errno.EISDIR,
            { Node: FileNode file } when length < 0 => -Errno.EINVAL,
            { Node: FileNode { IsReadOnly: true } } => -Errno.EROFS,
            { Node: FileNode file } => PermissionRefusal(file, WriteAccess) is var refused and not 0 ? refused : file.Truncate(length),
            _ => -Errno.EINVAL,
        };
    }

    /// <summary>getcwd: the path with its terminator; returns its length including the terminator, as the raw call does.</summary>
    internal static long Getcwd(GuestProcess p, ulong buffer, ulong size)
    {
        if (p.WorkingDirectory.Removed)
        {
            return -Errno.ENOENT;
        }

        byte[] path = Encoding.UTF8.GetBytes(p.WorkingDirectory.AbsolutePath() + "\0");
        if ((ulong)path.Length > size)
        {
            return -Errno.ERANGE;
        }

        return p.User.TryWrite(buffer, path) ? path.Length : -Errno.EFAULT;
    }

    internal static long Chdir(GuestProcess p, ulong pathAddress)
    {
        PathLookup found = LookUp(p, AtFdCwd, pathAddress, followLast: true);
        return found switch
        {
            { Error: not 0 } => found.Error,
            { Node: null } => -Errno.ENOENT,
            { Node: DirectoryNode directory } => ChangeDirectory(p, directory),
            _ => -Errno.ENOTDIR,
        };
    }

    internal static long Fchdir(GuestProcess p, int fd) => p.Files.Get(fd) switch
    {
        null => -Errno.EBADF,
        DirectoryOpenFile directory => ChangeDirectory(p, directory.Directory),
        _ => -Errno.ENOTDIR,
    };

    private static long ChangeDirectory(GuestProcess p, DirectoryNode directory)
    {
        long refused = PermissionRefusal(directory, 1);
        if (refused == 0)
        {
            p.WorkingDirectory = directory;
        }

        return refused;
    }

    /// <summary>
    /// fchown by an unprivileged user (Linux's chown_ok and chgrp_ok): -1 keeps the owner or group; otherwise
    /// only the owner of a node may name itself and its own group. So root's nodes refuse any change (EPERM).
    /// </summary>
    internal static long Fchown(GuestProcess p, int fd, int owner, int group)
    {
        if (p.Files.Get(fd) is not { } file)
        {
            return -Errno.EBADF;
        }

        bool own = file.Node.OwnerId == ProcessIdentity.UserId;
        bool allowed = (owner == -1 || (own && owner == ProcessIdentity.UserId)) && (group == -1 || (own && group == ProcessIdentity.GroupId));
        return file.Node.IsReadOnly ? -Errno.EROFS : allowed ? 0 : -Errno.EPERM;
    }

    internal static long Umask(GuestProcess p, uint mask)
    {
        uint old = p.FileCreationMask;
        p.FileCreationMask = mask & 0x1FF;
        return old;
    }
}
