using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel.Files;

/// <summary>A regular file that lives only in the simulation (what a guest creates, or the host puts there).</summary>
internal sealed class MemoryFile(long number, uint permissions) : FileNode(number, permissions)
{
    /// <summary>
    /// Largest file the simulation holds (1 GiB): files live in host memory, so a guest writing at a huge
    /// offset gets EFBIG (as past RLIMIT_FSIZE) instead of exhausting the host.
    /// </summary>
    public const long MaxLength = 1L << 30;

    private byte[] data = [];
    private long length;

    /// <inheritdoc/>
    public override long Size => length;

    /// <summary>A copy of the contents.</summary>
    public byte[] Contents => data.AsSpan(0, (int)length).ToArray();

    /// <inheritdoc/>
    public override int Read(long offset, Span<byte> destination)
    {
        if (offset >= length)
        {
            return 0;
        }

        int n = (int)Math.Min(destination.Length, length - offset);
        data.AsSpan((int)offset, n).CopyTo(destination);
        return n;
    }

    /// <inheritdoc/>
    public override long Write(long offset, ReadOnlySpan<byte> source)
    {
        if (offset < 0 || source.Length > MaxLength - offset)
        {
            return -Errno.EFBIG; // (compared without forming offset + length, which may overflow)
        }

        long end = offset + source.Length;
        Grow(end);
        source.CopyTo(data.AsSpan((int)offset));
        length = Math.Max(length, end);
        return source.Length;
    }

    /// <inheritdoc/>
    public override long Truncate(long newLength)
    {
        if (newLength < 0)
        {
            return -Errno.EINVAL;
        }

        if (newLength > MaxLength)
        {
            return -Errno.EFBIG;
        }

        Grow(newLength);
        if (newLength < length)
        {
            data.AsSpan((int)newLength, (int)(length - newLength)).Clear(); // a later extension must read zeros
        }

        length = newLength;
        return 0;
    }

    /// <summary>Replaces the contents (the host API).</summary>
    public void SetContents(ReadOnlySpan<byte> contents)
    {
        data = contents.ToArray();
        length = data.Length;
    }

    private void Grow(long needed)
    {
        if (needed > data.Length)
        {
            Array.Resize(ref data, (int)Math.Min(MaxLength, Math.Max(needed, Math.Max(4096, (long)data.Length * 2))));
        }
    }
}
