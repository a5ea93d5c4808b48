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

    /// <summary>No child processes.</summary>
    public const long ECHILD = 10;
    /// <summary>Bad file descriptor.</summary>
    public const long EBADF = 9;
    /// <summary>Try again (a futex word changed before the wait).</summary>
    public const long EAGAIN = 11;
    /// <summary>Out of memory.</summary>
    public const long ENOMEM = 12;
    /// <summary>Bad address.</summary>
    public const long EFAULT = 14;
    /// <summary>File exists.</summary>
    public const long EEXIST = 17;
    /// <summary>No such device.</summary>
    public const long ENODEV = 19;
    /// <summary>Invalid argument.</summary>
    public const long EINVAL = 22;
    /// <summary>Inappropriate ioctl for device.</summary>
    public const long ENOTTY = 25;
    /// <summary>Function not implemented.</summary>
    public const long ENOSYS = 38;
    /// <summary>Timed out.</summary>
    public const long ETIMEDOUT = 110;
}
