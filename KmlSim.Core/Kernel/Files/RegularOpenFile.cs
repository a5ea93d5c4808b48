using KmlSim.Kernel.Syscalls;
using KmlSim.Observation;

namespace KmlSim.Kernel.Files;

/// <summary>An open regular file: reads and writes at a position shared by every descriptor of the description.</summary>
internal sealed class RegularOpenFile(FileNode file, int statusFlags) : OpenFile(statusFlags)
{
    private long position;

    /// <inheritdoc/>
    public override Inode Node => file;


    /// <inheritdoc/>

    public override IoTarget IoTarget => IoTarget.RegularFile;

    /// <inheritdoc/>
    public override long? Readable => Math.Max(0, file.Size - position);

    /// <inheritdoc/>
    public override long Read(Span<byte> destination)
    {
        long n = ReadAt(position, destination);
        position += Math.Max(n, 0);
        return n;
    }

    /// <inheritdoc/>
    public override long Write(ReadOnlySpan<byte> source)
    {
        if ((StatusFlags & OpenFlags.Append) != 0)
        {
            position = file.Size;
        }

        long n = file.Write(position, source);
        position += Math.Max(n, 0);
        return n;
    }

    /// <inheritdoc/>
    public override long ReadAt(long offset, Span<byte> destination) => offset < 0 ? -Errno.EINVAL : file.Read(offset, destination);

    /// <inheritdoc/>
    public override long WriteAt(long offset, ReadOnlySpan<byte> source) => offset < 0 ? -Errno.EINVAL : file.Write(offset, source);

    /// <summary>A range whose end passes the largest file offset (pos + count overflows) is EINVAL, as in rw_verify_area.</summary>
    public override long VerifyArea(long offset, ulong count)
    {
        long start = offset < 0 ? position : offset;
        return count > (ulong)(long.MaxValue - start) ? -Errno.EINVAL : 0;
    }

    /// <inheritdoc/>
    public override long Seek(long offset, int whence)
    {
        long target = SeekWhence.Target(offset, whence, position, file.Size);
        if (target >= 0)
        {
            position = target;
        }

        return target;
    }
}
