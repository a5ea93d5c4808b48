namespace KmlSim.Kernel.Files;

/// <summary>lseek's whence values.</summary>
internal static class SeekWhence
{
    /// <summary>SEEK_SET.</summary>
    public const int Set = 0;
    /// <summary>SEEK_CUR.</summary>
    public const int Current = 1;
    /// <summary>SEEK_END.</summary>
    public const int End = 2;

    /// <summary>The position lseek would move to (or a negated errno: EINVAL for a bad whence or a negative result).</summary>
    public static long Target(long offset, int whence, long position, long size)
    {
        long basePosition = whence switch { Set => 0, Current => position, End => size, _ => -1 };
        if (basePosition < 0)
        {
            return -Syscalls.Errno.EINVAL;
        }

        long target = basePosition + offset;
        bool overflow = offset > 0 && target < basePosition;
        return overflow ? -Syscalls.Errno.EOVERFLOW : target < 0 ? -Syscalls.Errno.EINVAL : target;
    }
}
