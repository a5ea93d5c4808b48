using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;
using KmlSim.Observation;

namespace KmlSim.Kernel.Files;

/// <summary>
/// An open file description (Linux's struct file): what descriptors refer to, shared by dup and fork,
/// with the status flags and, for seekable files, the offset. Operations return a count or a negated
/// errno; -EAGAIN means "would block", and then <see cref="ReadWaiters"/> or <see cref="WriteWaiters"/>
/// is the queue to sleep on. The description is released when the last descriptor closes.
/// </summary>
internal abstract class OpenFile(int statusFlags)
{
    private int references = 1;

    /// <summary>The status flags (access mode, O_APPEND, O_NONBLOCK).</summary>
    public int StatusFlags { get; set; } = statusFlags & OpenFlags.Kept;

    /// <summary>True unless opened write-only.</summary>
    public bool CanRead => (StatusFlags & OpenFlags.AccessMode) != OpenFlags.WriteOnly;

    /// <summary>True when opened write-only or read-write.</summary>
    public bool CanWrite => (StatusFlags & OpenFlags.AccessMode) is OpenFlags.WriteOnly or OpenFlags.ReadWrite;

    /// <summary>True when O_NONBLOCK is set: a call that would block fails with EAGAIN instead.</summary>
    public bool IsNonBlocking => (StatusFlags & OpenFlags.NonBlocking) != 0;

    /// <summary>
    /// True when writes are thrown away without reading the buffer (/dev/null's and /dev/zero's write_null):
    /// a write then succeeds for any user range, mapped or not, as on Linux.
    /// </summary>
    public virtual bool DiscardsWrites => false;

    /// <summary>What a read or write of this file goes to, for the work meter's choice of code path.</summary>
    public virtual IoTarget IoTarget => IoTarget.Unspecified;

    /// <summary>The node stat describes.</summary>
    public abstract Inode Node { get; }

    /// <summary>Where sleepers wait for readable data (null: reads never block).</summary>
    public virtual WaitQueue? ReadWaiters => null;

    /// <summary>Where sleepers wait for room to write (null: writes never block).</summary>
    public virtual WaitQueue? WriteWaiters => null;

    /// <summary>Reads at the current position (or from the stream).</summary>
    public virtual long Read(Span<byte> destination) => -Errno.EINVAL;

    /// <summary>Writes at the current position (or to the stream); -EPIPE when nobody can read.</summary>
    public virtual long Write(ReadOnlySpan<byte> source) => -Errno.EINVAL;

    /// <summary>pread64: reads at <paramref name="offset"/> without moving the position.</summary>
    public virtual long ReadAt(long offset, Span<byte> destination) => -Errno.ESPIPE;

    /// <summary>pwrite64: writes at <paramref name="offset"/> without moving the position.</summary>
    public virtual long WriteAt(long offset, ReadOnlySpan<byte> source) => -Errno.ESPIPE;

    /// <summary>
    /// Linux's rw_verify_area for a transfer of <paramref name="count"/> bytes at <paramref name="offset"/>
    /// (or at the current position when it is negative): 0 when the range is valid, else a negated errno.
    /// Streams have no position, so every range is valid for them.
    /// </summary>
    public virtual long VerifyArea(long offset, ulong count) => 0;

    /// <summary>lseek; the new position or a negated errno.</summary>
    public virtual long Seek(long offset, int whence) => -Errno.ESPIPE;

    /// <summary>Which poll events hold now.</summary>
    public virtual PollEvents Poll() => PollEvents.In | PollEvents.Out;

    /// <summary>Bytes a read would return now (FIONREAD), or null when the file does not answer it.</summary>
    public virtual long? Readable => null;

    /// <summary>Another descriptor now refers to this description (dup, fork).</summary>
    public void AddReference() => references++;

    /// <summary>A descriptor referring to this description closed; the last one releases it.</summary>
    public void Release()
    {
        if (--references == 0)
        {
            Closed();
        }
    }

    /// <summary>Called once when the last descriptor closes (a pipe end then counts itself out).</summary>
    protected virtual void Closed()
    {
    }
}
