using System.Buffers.Binary;
using System.Text;
using KmlSim.Kernel.Process;

namespace KmlSim.Kernel.Syscalls;

/// <summary>
/// File calls. There is no file system yet: descriptors 0, 1 and 2 exist and behave like pipes (stdin fed
/// by the host, stdout and stderr captured), so libc buffers output fully, as under a shell pipe. The only
/// path known is /proc/self/exe.
/// </summary>
internal static partial class SyscallDispatcher
{
    /// <summary>Linux's MAX_RW_COUNT: one read or write moves at most this many bytes.</summary>
    private const ulong MaxTransfer = 0x7FFF_F000;
    private const int CopyChunk = 64 * 1024;
    private const int MaxIovecs = 1024;
    private const int AtEmptyPath = 0x1000;
    private const int StatSize = 144;
    private const uint ModeFifo = 0x1000;
    private const string SelfExe = "/proc/self/exe";

    private static bool IsStandardStream(int fd) => fd is >= 0 and <= 2;

    private static long Read(GuestProcess p, int fd, ulong buffer, ulong count)
    {
        if (fd != 0)
        {
            return -Errno.EBADF; // stdout and stderr are write ends
        }

        var bytes = new byte[(int)Math.Min(count, CopyChunk)];
        int n = p.ReadStdin(bytes);
        return p.User.TryWrite(buffer, bytes.AsSpan(0, n)) ? n : -Errno.EFAULT;
    }

    private static long Write(GuestProcess p, int fd, ulong buffer, ulong count)
    {
        MemoryStream? sink = fd switch { 1 => p.Stdout, 2 => p.Stderr, _ => null };
        if (sink is null)
        {
            return -Errno.EBADF;
        }

        count = Math.Min(count, MaxTransfer);
        var chunk = new byte[(int)Math.Min(count, CopyChunk)];
        ulong done = 0;
        while (done < count)
        {
            int n = (int)Math.Min(count - done, (ulong)chunk.Length);
            if (!p.User.TryRead(buffer + done, chunk.AsSpan(0, n)))
            {
                return done > 0 ? (long)done : -Errno.EFAULT;
            }

            sink.Write(chunk, 0, n);
            done += (ulong)n;
        }

        return (long)done;
    }

    private static long Writev(GuestProcess p, int fd, ulong vector, int count)
    {
        if (count < 0 || count > MaxIovecs)
        {
            return -Errno.EINVAL;
        }

        var iovecs = new byte[count * 16];
        if (!p.User.TryRead(vector, iovecs))
        {
            return -Errno.EFAULT;
        }

        long total = 0;
        for (int i = 0; i < count; i++)
        {
            ulong baseAddress = BinaryPrimitives.ReadUInt64LittleEndian(iovecs.AsSpan(i * 16));
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(iovecs.AsSpan((i * 16) + 8));
            if (length > MaxTransfer)
            {
                return -Errno.EINVAL;
            }

            long written = Write(p, fd, baseAddress, length);
            if (written < 0)
            {
                return total > 0 ? total : written;
            }

            total += written;
        }

        return total;
    }

    /// <summary>No standard stream is a terminal (TCGETS, TIOCGWINSZ fail), so libc does not line-buffer.</summary>
    private static long Ioctl(int fd) => IsStandardStream(fd) ? -Errno.ENOTTY : -Errno.EBADF;

    private static long Fstat(GuestProcess p, int fd, ulong statAddress)
    {
        if (!IsStandardStream(fd))
        {
            return -Errno.EBADF;
        }

        // struct stat (x86-64): dev, ino, nlink (u64); mode, uid, gid (u32) + pad; rdev, size, blksize,
        // blocks (64-bit); atime, mtime, ctime (sec, nsec pairs); 3 reserved words.
        var stat = new byte[StatSize];
        BinaryPrimitives.WriteUInt64LittleEndian(stat.AsSpan(0), 0xC);
        BinaryPrimitives.WriteUInt64LittleEndian(stat.AsSpan(8), 100 + (ulong)fd);
        BinaryPrimitives.WriteUInt64LittleEndian(stat.AsSpan(16), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(stat.AsSpan(24), ModeFifo | 0x180); // fifo, rw-------
        BinaryPrimitives.WriteUInt32LittleEndian(stat.AsSpan(28), ProcessIdentity.UserId);
        BinaryPrimitives.WriteUInt32LittleEndian(stat.AsSpan(32), ProcessIdentity.GroupId);
        BinaryPrimitives.WriteUInt64LittleEndian(stat.AsSpan(56), ProcessMemory.PageSize);
        ulong now = SimulatedClock.EpochSeconds;
        for (int time = 72; time < 120; time += 16)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(stat.AsSpan(time), now);
        }

        return p.User.TryWrite(statAddress, stat) ? 0 : -Errno.EFAULT;
    }

    private static long Newfstatat(GuestProcess p, int directoryFd, ulong pathAddress, ulong statAddress, int flags)
    {
        string? path = p.User.TryReadPath(pathAddress);
        if (path is null)
        {
            return -Errno.EFAULT;
        }

        return path.Length == 0 && (flags & AtEmptyPath) != 0 ? Fstat(p, directoryFd, statAddress) : -Errno.ENOENT;
    }

    private static long Readlink(GuestProcess p, ulong pathAddress, ulong buffer, int size)
    {
        string? path = p.User.TryReadPath(pathAddress);
        if (path is null)
        {
            return -Errno.EFAULT;
        }

        if (size <= 0)
        {
            return -Errno.EINVAL;
        }

        if (path != SelfExe)
        {
            return -Errno.ENOENT;
        }

        byte[] target = Encoding.UTF8.GetBytes(p.ExecutablePath);
        int n = Math.Min(size, target.Length); // readlink truncates silently and adds no terminator
        return p.User.TryWrite(buffer, target.AsSpan(0, n)) ? n : -Errno.EFAULT;
    }
}
