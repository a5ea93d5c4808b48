using System.Buffers.Binary;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;

namespace KmlSim.Kernel.Syscalls;

/// <summary>Calls that make, copy and configure descriptors: close, dup*, fcntl, pipe*, socketpair.</summary>
internal static partial class SyscallDispatcher
{
    private const int FcntlDupFd = 0;
    private const int FcntlGetFd = 1;
    private const int FcntlSetFd = 2;
    private const int FcntlGetFl = 3;
    private const int FcntlSetFl = 4;
    private const int FcntlGetLk = 5;
    private const int FcntlSetLk = 6;
    private const int FcntlSetLkW = 7;
    private const int FcntlDupFdCloseOnExec = 1030;
    private const int DescriptorCloseOnExec = 1; // FD_CLOEXEC
    private const short LockUnlocked = 2; // F_UNLCK
    private const int AddressFamilyUnix = 1;
    private const int AddressFamilyInet = 2;
    private const int AddressFamilyInet6 = 10;
    private const int SocketStream = 1;
    private const int SocketTypeMask = 0xF;
    private const int SocketNonBlocking = 0x800; // SOCK_NONBLOCK = O_NONBLOCK
    private const int SocketCloseOnExec = 0x80000; // SOCK_CLOEXEC = O_CLOEXEC

    internal static long Close(GuestProcess p, int fd) => p.Files.Close(fd) ? 0 : -Errno.EBADF;

    internal static long Dup(GuestProcess p, int fd, int minimum, bool closeOnExec)
    {
        if (p.Files.Get(fd) is not { } file)
        {
            return -Errno.EBADF;
        }

        int limit = OpenLimit(p);
        if (minimum < 0 || minimum >= limit)
        {
            return -Errno.EINVAL;
        }

        file.AddReference();
        return p.Files.Allocate(file, closeOnExec, minimum, limit);
    }

    /// <summary>dup2 (<paramref name="isDup3"/> false) and dup3: the same descriptor is a no-op for dup2 and EINVAL for dup3.</summary>
    internal static long Dup2(GuestProcess p, int fd, int target, int flags, bool isDup3)
    {
        if ((flags & ~OpenFlags.CloseOnExec) != 0)
        {
            return -Errno.EINVAL;
        }

        if (p.Files.Get(fd) is not { } file)
        {
            return -Errno.EBADF;
        }

        if (target < 0 || target >= OpenLimit(p))
        {
            return -Errno.EBADF;
        }

        if (fd == target)
        {
            return isDup3 ? -Errno.EINVAL : target;
        }

        file.AddReference();
        p.Files.Install(target, file, (flags & OpenFlags.CloseOnExec) != 0);
        return target;
    }

    internal static long Fcntl(GuestProcess p, int fd, int command, ulong argument)
    {
        if (p.Files.Get(fd) is not { } file)
        {
            return -Errno.EBADF;
        }

        switch (command)
        {
            case FcntlDupFd or FcntlDupFdCloseOnExec:
                return Dup(p, fd, (int)argument, command == FcntlDupFdCloseOnExec);
            case FcntlGetFd:
                return p.Files.GetCloseOnExec(fd) ? DescriptorCloseOnExec : 0;
            case FcntlSetFd:
                p.Files.SetCloseOnExec(fd, (argument & DescriptorCloseOnExec) != 0);
                return 0;
            case FcntlGetFl:
                return file.StatusFlags;
            case FcntlSetFl:
                file.StatusFlags = (file.StatusFlags & ~OpenFlags.Settable) | ((int)argument & OpenFlags.Settable);
                return 0;
            case FcntlGetLk or FcntlSetLk or FcntlSetLkW:
                return RecordLock(p, file, command, argument);
            default:
                return -Errno.EINVAL;
        }
    }

    /// <summary>
    /// POSIX record locks. A lock conflicts only with another process's lock; the workloads here never
    /// share a locked file between processes (the Wisconsin server alone opens the database), so every
    /// lock is granted and F_GETLK reports the range free. Arguments are still checked as Linux does.
    /// </summary>
    private static long RecordLock(GuestProcess p, OpenFile file, int command, ulong flockAddress)
    {
        Span<byte> flock = stackalloc byte[32]; // short l_type, l_whence; off_t l_start, l_len; pid_t l_pid
        if (!p.User.TryRead(flockAddress, flock))
        {
            return -Errno.EFAULT;
        }

        short type = BinaryPrimitives.ReadInt16LittleEndian(flock);
        if (type is < 0 or > LockUnlocked)
        {
            return -Errno.EINVAL;
        }

        if (command != FcntlGetLk)
        {
            bool allowed = type == LockUnlocked || (type == 0 ? file.CanRead : file.CanWrite); // F_RDLCK needs read, F_WRLCK write
            return allowed ? 0 : -Errno.EBADF;
        }

        BinaryPrimitives.WriteInt16LittleEndian(flock, LockUnlocked);
        return p.User.TryWrite(flockAddress, flock) ? 0 : -Errno.EFAULT;
    }

    internal static long Pipe(GuestProcess p, ulong pairAddress, int flags)
    {
        if ((flags & ~(OpenFlags.CloseOnExec | OpenFlags.NonBlocking)) != 0)
        {
            return -Errno.EINVAL; // O_DIRECT (packet mode) is not offered
        }

        (PipeEnd reader, PipeEnd writer) = PipeEnd.Create(p.FileSystem, flags);
        return InstallPair(p, reader, writer, pairAddress, (flags & OpenFlags.CloseOnExec) != 0);
    }

    internal static long Socketpair(GuestProcess p, int domain, int type, int protocol, ulong pairAddress)
    {
        if (domain != AddressFamilyUnix)
        {
            // Internet sockets exist on Linux but cannot be made in pairs; other families are unknown here.
            return domain is AddressFamilyInet or AddressFamilyInet6 ? -Errno.EOPNOTSUPP : -Errno.EAFNOSUPPORT;
        }

        if ((type & ~(SocketTypeMask | SocketNonBlocking | SocketCloseOnExec)) != 0)
        {
            return -Errno.EINVAL;
        }

        if ((type & SocketTypeMask) != SocketStream)
        {
            return -Errno.EOPNOTSUPP; // datagram and seqpacket pairs are not offered
        }

        if (protocol is not (0 or AddressFamilyUnix))
        {
            return -Errno.EPROTONOSUPPORT;
        }

        (SocketEnd first, SocketEnd second) = SocketEnd.CreatePair(p.FileSystem, type);
        return InstallPair(p, first, second, pairAddress, (type & SocketCloseOnExec) != 0);
    }

    /// <summary>Gives two new descriptions descriptors and stores the pair of ints; on failure neither stays open.</summary>
    private static long InstallPair(GuestProcess p, OpenFile first, OpenFile second, ulong pairAddress, bool closeOnExec)
    {
        int limit = OpenLimit(p);
        long a = p.Files.Allocate(first, closeOnExec, limit: limit);
        if (a < 0)
        {
            second.Release();
            return a;
        }

        long b = p.Files.Allocate(second, closeOnExec, limit: limit);
        if (b < 0)
        {
            p.Files.Close((int)a);
            return b;
        }

        Span<byte> pair = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(pair, (int)a);
        BinaryPrimitives.WriteInt32LittleEndian(pair[4..], (int)b);
        if (!p.User.TryWrite(pairAddress, pair))
        {
            p.Files.Close((int)a);
            p.Files.Close((int)b);
            return -Errno.EFAULT;
        }

        return 0;
    }
}
