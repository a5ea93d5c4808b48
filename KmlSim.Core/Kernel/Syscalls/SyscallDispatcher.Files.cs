using System.Buffers.Binary;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;

namespace KmlSim.Kernel.Syscalls;

/// <summary>
/// Data transfer on descriptors: read, write, their vector and positioned forms, lseek, ioctl, fsync,
/// ftruncate. Bytes move between guest memory and the open file description in chunks; a call that would
/// block sleeps (see <see cref="Block"/>) unless the description is O_NONBLOCK.
/// </summary>
internal static partial class SyscallDispatcher
{
    /// <summary>Linux's MAX_RW_COUNT: one read or write moves at most this many bytes.</summary>
    private const ulong MaxTransfer = 0x7FFF_F000;
    private const int CopyChunk = 64 * 1024;
    private const int MaxIovecs = 1024;
    private const long CurrentPosition = -1;
    private const ulong Fionread = 0x541B;
    private const ulong Fionbio = 0x5421;
    private const ulong Fionclex = 0x5450;
    private const ulong Fioclex = 0x5451;

    internal static long Read(GuestProcess p, int fd, ulong buffer, ulong count) => ReadAt(p, fd, buffer, count, CurrentPosition);

    internal static long Write(GuestProcess p, int fd, ulong buffer, ulong count) => WriteAt(p, fd, buffer, count, CurrentPosition);

    internal static long Pread(GuestProcess p, int fd, ulong buffer, ulong count, long offset) =>
        offset < 0 ? -Errno.EINVAL : ReadAt(p, fd, buffer, count, offset);

    internal static long Pwrite(GuestProcess p, int fd, ulong buffer, ulong count, long offset) =>
        offset < 0 ? -Errno.EINVAL : WriteAt(p, fd, buffer, count, offset);

    private static long ReadAt(GuestProcess p, int fd, ulong buffer, ulong count, long offset)
    {
        if (p.Files.Get(fd) is not { CanRead: true } file)
        {
            return -Errno.EBADF;
        }

        long result = Transfer(p, file, buffer, count, offset, write: false);
        return result == -Errno.EAGAIN && !file.IsNonBlocking ? Block(p, [file.ReadWaiters], $"read from descriptor {fd}") : result;
    }

    /// <summary>
    /// write/pwrite. A blocking write to a pipe or socket goes on until all of it is written, sleeping
    /// whenever the buffer is full (Linux's pipe_write loop); since the call runs again from the start when
    /// the writer wakes, what it already wrote is kept in <see cref="GuestProcess.BlockedWriteProgress"/>.
    /// A non-blocking one writes what fits and returns the count, or EAGAIN when nothing fits; either way a
    /// write of at most PIPE_BUF bytes goes in whole (see <see cref="PipeBuffer"/>). With no reader left,
    /// SIGPIPE, and EPIPE unless some bytes were written (then their count).
    /// </summary>
    private static long WriteAt(GuestProcess p, int fd, ulong buffer, ulong count, long offset)
    {
        if (p.Files.Get(fd) is not { CanWrite: true } file)
        {
            return -Errno.EBADF;
        }

        count = Math.Min(count, MaxTransfer);
        ulong already = (ulong)p.BlockedWriteProgress;
        p.BlockedWriteProgress = 0;
        long result = Transfer(p, file, buffer + already, count - already, offset, write: true);
        ulong done = already + (ulong)Math.Max(result, 0);
        bool sleeps = file.WriteWaiters is not null && !file.IsNonBlocking && (result >= 0 || result == -Errno.EAGAIN) && done < count;
        if (sleeps)
        {
            p.BlockedWriteProgress = (long)done;
            return Block(p, [file.WriteWaiters], $"write to descriptor {fd}");
        }

        if (result == -Errno.EPIPE)
        {
            long broken = BrokenPipe(p, $"write to descriptor {fd}");
            return already > 0 ? (long)already : broken;
        }

        return result < 0 && already > 0 ? (long)already : result < 0 ? result : (long)done;
    }

    /// <summary>
    /// Moves up to <paramref name="count"/> bytes between guest memory and <paramref name="file"/> (at
    /// <paramref name="offset"/>, or at the file's position when it is <see cref="CurrentPosition"/>).
    /// Stops at the first short transfer; an error after some bytes moved reports the bytes, as Linux does.
    /// </summary>
    private static long Transfer(GuestProcess p, OpenFile file, ulong buffer, ulong count, long offset, bool write)
    {
        p.IoTarget = file.IoTarget;
        count = Math.Min(count, MaxTransfer);
        long invalid = file.VerifyArea(offset, count);
        if (invalid != 0)
        {
            return invalid;
        }
        if (write && file.DiscardsWrites)
        {
            // write_null never reads the buffer: only vfs_write's access_ok range check applies.
            return UserMemory.IsUserRange(buffer, count) ? (long)count : -Errno.EFAULT;
        }

        var chunk = new byte[(int)Math.Min(count, CopyChunk)];
        ulong done = 0;
        do
        {
            int n = (int)Math.Min(count - done, (ulong)chunk.Length);
            Span<byte> span = chunk.AsSpan(0, n);
            long moved;
            long at = offset == CurrentPosition ? CurrentPosition : offset + (long)done;
            if (write)
            {
                if (!p.User.TryRead(buffer + done, span))
                {
                    return done > 0 ? (long)done : -Errno.EFAULT;
                }

                moved = at == CurrentPosition ? file.Write(span) : file.WriteAt(at, span);
            }
            else
            {
                moved = at == CurrentPosition ? file.Read(span) : file.ReadAt(at, span);
                if (moved > 0 && !p.User.TryWrite(buffer + done, span[..(int)moved]))
                {
                    return done > 0 ? (long)done : -Errno.EFAULT;
                }
            }

            if (moved < 0)
            {
                return done > 0 ? (long)done : moved;
            }

            done += (ulong)moved;
            if (moved < n)
            {
                break;
            }
        }
        while (done < count);
        return (long)done;
    }

    internal static long Readv(GuestProcess p, int fd, ulong vector, int count) => Vectored(p, fd, vector, count, write: false);

    internal static long Writev(GuestProcess p, int fd, ulong vector, int count) => Vectored(p, fd, vector, count, write: true);

    private static long Vectored(GuestProcess p, int fd, ulong vector, int count, bool write)
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

        ulong total = 0;
        for (int i = 0; i < count; i++)
        {
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(iovecs.AsSpan((i * 16) + 8));
            total += length;
            if (length > MaxTransfer || total > MaxTransfer)
            {
                return -Errno.EINVAL;
            }
        }

        long done = 0;
        for (int i = 0; i < count; i++)
        {
            ulong baseAddress = BinaryPrimitives.ReadUInt64LittleEndian(iovecs.AsSpan(i * 16));
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(iovecs.AsSpan((i * 16) + 8));
            if (length == 0)
            {
                continue;
            }

            long moved = done > 0 && p.Files.Get(fd) is { } file
                ? Transfer(p, file, baseAddress, length, CurrentPosition, write) // later pieces never block nor signal
                : write ? Write(p, fd, baseAddress, length) : Read(p, fd, baseAddress, length);
            if (moved < 0)
            {
                return done > 0 ? done : moved;
            }

            done += moved;
            if ((ulong)moved < length)
            {
                break;
            }
        }

        return done;
    }

    internal static long Lseek(GuestProcess p, int fd, long offset, int whence) =>
        p.Files.Get(fd) is { } file ? file.Seek(offset, whence) : -Errno.EBADF;

    /// <summary>
    /// FIONREAD, FIONBIO, FIOCLEX and FIONCLEX; everything else is a terminal request, and no file here is
    /// a terminal (so TCGETS gives ENOTTY and libc does not line-buffer).
    /// </summary>
    internal static long Ioctl(GuestProcess p, int fd, ulong request, ulong argument)
    {
        if (p.Files.Get(fd) is not { } file)
        {
            return -Errno.EBADF;
        }

        switch (request)
        {
            case Fionread when file.Readable is { } readable:
                Span<byte> bytes = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)Math.Min(readable, int.MaxValue));
                return p.User.TryWrite(argument, bytes) ? 0 : -Errno.EFAULT;
            case Fionbio:
                Span<byte> flag = stackalloc byte[4];
                if (!p.User.TryRead(argument, flag))
                {
                    return -Errno.EFAULT;
                }

                file.StatusFlags = BinaryPrimitives.ReadInt32LittleEndian(flag) != 0
                    ? file.StatusFlags | OpenFlags.NonBlocking
                    : file.StatusFlags & ~OpenFlags.NonBlocking;
                return 0;
            case Fioclex or Fionclex:
                p.Files.SetCloseOnExec(fd, request == Fioclex);
                return 0;
            default:
                return -Errno.ENOTTY;
        }
    }

    /// <summary>fsync and fdatasync: nothing is cached between the simulation and its storage; pipes and sockets cannot sync.</summary>
    internal static long Fsync(GuestProcess p, int fd) => p.Files.Get(fd) switch
    {
        null => -Errno.EBADF,
        { Node.Kind: NodeKind.Fifo or NodeKind.Socket } => -Errno.EINVAL,
        _ => 0,
    };

    internal static long Ftruncate(GuestProcess p, int fd, long length) => p.Files.Get(fd) switch
    {
        null => -Errno.EBADF,
        { CanWrite: true, Node: FileNode file } => length < 0 ? -Errno.EINVAL : file.Truncate(length),
        _ => -Errno.EINVAL, // not a regular file, or not open for writing
    };
}
