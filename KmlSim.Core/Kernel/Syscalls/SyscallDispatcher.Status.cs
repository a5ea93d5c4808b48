using System.Buffers.Binary;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;

namespace KmlSim.Kernel.Syscalls;

/// <summary>
/// The newer stat family a dynamic glibc program uses: statx (what coreutils' ls -l calls), statfs and
/// fstatfs (libselinux asks whether /sys/fs/selinux is mounted), and the extended-attribute reads (ls asks
/// for ACLs and SELinux labels), which find no attribute on any file here (ENODATA; a list is empty).
/// </summary>
internal static partial class SyscallDispatcher
{
    /// <summary>Stands for an empty path: the descriptor-based calls go through the path ones with AT_EMPTY_PATH.</summary>
    internal const ulong EmptyPath = ulong.MaxValue;

    /// <summary>sizeof(struct statx) and sizeof(struct statfs) on x86-64.</summary>
    private const int StatxSize = 256, StatfsSize = 120;

    /// <summary>statx flags Linux accepts: AT_SYMLINK_NOFOLLOW, AT_NO_AUTOMOUNT, AT_EMPTY_PATH and AT_STATX_SYNC_TYPE.</summary>
    private const int StatxFlags = 0x100 | 0x800 | 0x1000 | 0x6000;

    /// <summary>STATX_BASIC_STATS: type, mode, nlink, uid, gid, atime, mtime, ctime, ino, size, blocks (no birth time here).</summary>
    private const uint StatxBasicStats = 0x7FF;

    /// <summary>STATX__RESERVED: a mask bit Linux refuses (EINVAL).</summary>
    private const uint StatxReserved = 0x8000_0000;

    /// <summary>TMPFS_MAGIC: the simulated tree is an in-memory file system.</summary>
    private const long TmpfsMagic = 0x0102_1994;

    /// <summary>statfs f_flags: ST_VALID, plus ST_RDONLY for a read-only mapping.</summary>
    private const long StatfsValid = 0x20, StatfsReadOnly = 0x1;

    internal static long Statx(GuestProcess p, int directoryFd, ulong pathAddress, int flags, uint mask, ulong statxAddress)
    {
        if ((flags & ~StatxFlags) != 0 || (flags & 0x6000) == 0x6000 || (mask & StatxReserved) != 0)
        {
            return -Errno.EINVAL;
        }

        long error = StatTarget(p, directoryFd, pathAddress, flags, out Inode? node);
        return error != 0 ? error : p.User.TryWrite(statxAddress, ExtendedStatus(FileStatus.Of(node!))) ? 0 : -Errno.EFAULT;
    }

    /// <summary>struct statx from the struct stat of the same node (Linux fills both from one kstat).</summary>
    private static byte[] ExtendedStatus(byte[] stat)
    {
        ReadOnlySpan<byte> s = stat;
        var x = new byte[StatxSize];
        Span<byte> d = x;
        BinaryPrimitives.WriteUInt32LittleEndian(d, StatxBasicStats);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], (uint)BinaryPrimitives.ReadInt64LittleEndian(s[56..])); // blksize
        BinaryPrimitives.WriteUInt32LittleEndian(d[16..], (uint)BinaryPrimitives.ReadUInt64LittleEndian(s[16..])); // nlink
        s.Slice(28, 8).CopyTo(d[20..]); // uid, gid
        BinaryPrimitives.WriteUInt16LittleEndian(d[28..], (ushort)BinaryPrimitives.ReadUInt32LittleEndian(s[24..])); // mode
        s.Slice(8, 8).CopyTo(d[32..]); // ino
        s.Slice(48, 8).CopyTo(d[40..]); // size
        s.Slice(64, 8).CopyTo(d[48..]); // blocks
        foreach ((int from, int to) in new[] { (72, 64), (104, 96), (88, 112) }) // atime, ctime, mtime (sec, nsec)
        {
            s.Slice(from, 8).CopyTo(d[to..]);
            BinaryPrimitives.WriteUInt32LittleEndian(d[(to + 8)..], (uint)BinaryPrimitives.ReadUInt64LittleEndian(s[(from + 8)..]));
        }

        WriteDevice(d[128..], BinaryPrimitives.ReadUInt64LittleEndian(s[40..])); // rdev
        WriteDevice(d[136..], BinaryPrimitives.ReadUInt64LittleEndian(s[0..])); // dev
        return x;
    }

    /// <summary>A dev_t as statx's major and minor words (the huge_encode_dev split Linux uses).</summary>
    private static void WriteDevice(Span<byte> destination, ulong device)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)(((device >> 8) & 0xFFF) | ((device >> 32) & ~0xFFFUL)));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)((device & 0xFF) | ((device >> 12) & ~0xFFUL)));
    }

    internal static long Statfs(GuestProcess p, int directoryFd, ulong pathAddress, ulong statfsAddress, int flags)
    {
        Inode? node;
        long error = pathAddress == EmptyPath
            ? (node = p.Files.Get(directoryFd)?.Node) is null ? -Errno.EBADF : 0
            : StatTarget(p, directoryFd, pathAddress, flags, out node);
        if (error != 0)
        {
            return error;
        }

        // f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree, f_fsid, f_namelen, f_frsize, f_flags:
        // a tmpfs the size of the simulated memory, as free as the machine's frames allow.
        var statfs = new byte[StatfsSize];
        ulong totalBlocks = p.Cpu.Memory.SizeBytes / ProcessMemory.PageSize;
        ulong freeBlocks = totalBlocks - Math.Min(totalBlocks, (ulong)p.Cpu.Memory.AllocatedFrames);
        long[] words = [TmpfsMagic, (long)ProcessMemory.PageSize, (long)totalBlocks, (long)freeBlocks, (long)freeBlocks, (long)totalBlocks, (long)freeBlocks, 0, 255, (long)ProcessMemory.PageSize, StatfsValid | (node!.IsReadOnly ? StatfsReadOnly : 0)];
        for (int i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(statfs.AsSpan(i * 8), words[i]);
        }

        return p.User.TryWrite(statfsAddress, statfs) ? 0 : -Errno.EFAULT;
    }

    /// <summary>getxattr and listxattr, with their l- and f- forms: no file has extended attributes (ENODATA; an empty list).</summary>
    internal static long ExtendedAttribute(GuestProcess p, int directoryFd, ulong pathAddress, int flags, bool list)
    {
        long error = pathAddress == EmptyPath
            ? p.Files.Get(directoryFd) is null ? -Errno.EBADF : 0
            : StatTarget(p, directoryFd, pathAddress, flags, out _);
        return error != 0 ? error : list ? 0 : -Errno.ENODATA;
    }
}
