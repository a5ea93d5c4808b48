using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel.Files;

/// <summary>
/// One direction of a pipe or socket pair: a 64 KiB ring (Linux's default pipe size), counts of the
/// descriptions that read and write it, and the queues their sleepers wait on. Reading an empty buffer
/// gives EOF once no writer is left, else EAGAIN (would block); writing with no reader left gives EPIPE
/// (the caller raises SIGPIPE); a write of at most PIPE_BUF bytes goes in whole or not at all (POSIX).
/// </summary>
internal sealed class PipeBuffer
{
    /// <summary>Capacity in bytes (16 pages, Linux's default).</summary>
    public const int Capacity = 64 * 1024;

    /// <summary>PIPE_BUF: writes up to this size are atomic.</summary>
    public const int AtomicWrite = 4096;

    private readonly byte[] ring = new byte[Capacity];
    private int head;

    /// <summary>Bytes waiting to be read.</summary>
    public int Count { get; private set; }

    /// <summary>Open descriptions reading this buffer.</summary>
    public int Readers { get; set; }

    /// <summary>Open descriptions writing this buffer.</summary>
    public int Writers { get; set; }

    /// <summary>Readers wait here for data or for the last writer to close.</summary>
    public WaitQueue ReadWaiters { get; } = new();

    /// <summary>Writers wait here for room or for the last reader to close.</summary>
    public WaitQueue WriteWaiters { get; } = new();

    /// <summary>Free bytes.</summary>
    public int Space => Capacity - Count;

    /// <summary>Takes up to <paramref name="destination"/>.Length bytes; 0 at EOF, -EAGAIN when empty with writers.</summary>
    public long Read(Span<byte> destination)
    {
        if (destination.Length == 0)
        {
            return 0;
        }

        if (Count == 0)
        {
            return Writers == 0 ? 0 : -Errno.EAGAIN;
        }

        int n = Math.Min(destination.Length, Count);
        int first = Math.Min(n, Capacity - head);
        ring.AsSpan(head, first).CopyTo(destination);
        ring.AsSpan(0, n - first).CopyTo(destination[first..]);
        head = (head + n) % Capacity;
        Count -= n;
        WriteWaiters.WakeAll();
        return n;
    }

    /// <summary>Adds what fits of <paramref name="source"/>; -EPIPE without readers, -EAGAIN when nothing fits.</summary>
    public long Write(ReadOnlySpan<byte> source)
    {
        if (source.Length == 0)
        {
            return 0; // pipe_write returns before it looks for readers
        }

        if (Readers == 0)
        {
            return -Errno.EPIPE;
        }

        if (Space == 0 || (source.Length <= AtomicWrite && Space < source.Length))
        {
            return -Errno.EAGAIN;
        }

        int n = Math.Min(source.Length, Space);
        int tail = (head + Count) % Capacity;
        int first = Math.Min(n, Capacity - tail);
        source[..first].CopyTo(ring.AsSpan(tail));
        source[first..n].CopyTo(ring);
        Count += n;
        ReadWaiters.WakeAll();
        return n;
    }

    /// <summary>A reading description closed.</summary>
    public void CloseReader()
    {
        Readers--;
        WriteWaiters.WakeAll(); // a blocked writer must now see EPIPE
    }

    /// <summary>A writing description closed.</summary>
    public void CloseWriter()
    {
        Writers--;
        ReadWaiters.WakeAll(); // a blocked reader must now see EOF
    }
}
