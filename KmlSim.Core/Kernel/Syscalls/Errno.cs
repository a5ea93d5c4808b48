namespace KmlSim.Kernel.Syscalls;

/// <summary>Linux error numbers (asm-generic/errno-base.h, errno.h); a failing call returns the negated value.</summary>
internal static class Errno
{
    /// <summary>Operation not permitted.</summary>
    public const long EPERM = 1;
    /// <summary>No such file or directory.</summary>
    public const long ENOENT = 2;
    /// <summary>No such process.</summary>
    public const long ESRCH = 3;
    /// <summary>Interrupted system call.</summary>
    public const long EINTR = 4;

    /// <summary>No child processes.</summary>
    public const long ECHILD = 10;
    /// <summary>Bad file descriptor.</summary>
    public const long EBADF = 9;
    /// <summary>Try again (a futex word changed before the wait; a non-blocking call would block).</summary>
    public const long EAGAIN = 11;
    /// <summary>Out of memory.</summary>
    public const long ENOMEM = 12;
    /// <summary>Permission denied.</summary>
    public const long EACCES = 13;

    /// <summary>Exec format error.</summary>
    public const long ENOEXEC = 8;

    /// <summary>Argument list too long.</summary>
    public const long E2BIG = 7;
    /// <summary>Bad address.</summary>
    public const long EFAULT = 14;
    /// <summary>Device or resource busy.</summary>
    public const long EBUSY = 16;
    /// <summary>File exists.</summary>
    public const long EEXIST = 17;
    /// <summary>Cross-device link.</summary>
    public const long EXDEV = 18;
    /// <summary>No such device.</summary>
    public const long ENODEV = 19;
    /// <summary>Not a directory.</summary>
    public const long ENOTDIR = 20;
    /// <summary>Is a directory.</summary>
    public const long EISDIR = 21;
    /// <summary>Invalid argument.</summary>
    public const long EINVAL = 22;
    /// <summary>Too many open files.</summary>
    public const long EMFILE = 24;
    /// <summary>Inappropriate ioctl for device.</summary>
    public const long ENOTTY = 25;
    /// <summary>File too large.</summary>
    public const long EFBIG = 27;
    /// <summary>Illegal seek.</summary>
    public const long ESPIPE = 29;
    /// <summary>Read-only file system.</summary>
    public const long EROFS = 30;
    /// <summary>Broken pipe.</summary>
    public const long EPIPE = 32;
    /// <summary>Result too large (a buffer too small).</summary>
    public const long ERANGE = 34;
    /// <summary>Resource deadlock would occur (a PI futex lock its caller already holds).</summary>
    public const long EDEADLK = 35;
    /// <summary>File name too long.</summary>
    public const long ENAMETOOLONG = 36;
    /// <summary>Function not implemented.</summary>
    public const long ENOSYS = 38;
    /// <summary>Directory not empty.</summary>
    public const long ENOTEMPTY = 39;
    /// <summary>Too many symbolic links.</summary>
    public const long ELOOP = 40;
    /// <summary>Value too large for the type.</summary>
    public const long EOVERFLOW = 75;
    /// <summary>Protocol not supported.</summary>
    public const long EPROTONOSUPPORT = 93;
    /// <summary>Operation not supported.</summary>
    public const long EOPNOTSUPP = 95;

    /// <summary>No data available (an extended attribute that is not set).</summary>
    public const long ENODATA = 61;
    /// <summary>Address family not supported.</summary>
    public const long EAFNOSUPPORT = 97;
    /// <summary>Timed out.</summary>
    public const long ETIMEDOUT = 110;
}
