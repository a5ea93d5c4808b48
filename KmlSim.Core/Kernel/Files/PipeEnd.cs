using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;
using KmlSim.Observation;

namespace KmlSim.Kernel.Files;

/// <summary>One end of a pipe: the read end (O_RDONLY) or the write end (O_WRONLY) of a <see cref="PipeBuffer"/>.</summary>
internal sealed class PipeEnd : OpenFile
{
    private readonly PipeBuffer buffer;
    private readonly StreamNode node;

    private PipeEnd(PipeBuffer buffer, StreamNode node, int statusFlags)
        : base(statusFlags)
    {
        this.buffer = buffer;
        this.node = node;
        if (CanRead)
        {
            buffer.Readers++;
        }
        else
        {
            buffer.Writers++;
        }
    }

    /// <summary>Creates a pipe: (read end, write end), with O_NONBLOCK from <paramref name="flags"/>.</summary>
    public static (PipeEnd Reader, PipeEnd Writer) Create(VirtualFileSystem fileSystem, int flags)
    {
        var buffer = new PipeBuffer();
        var node = new StreamNode(fileSystem.NextInodeNumber(), NodeKind.Fifo) { LinkCount = 1 };
        int nonBlocking = flags & OpenFlags.NonBlocking;
        return (new PipeEnd(buffer, node, OpenFlags.ReadOnly | nonBlocking), new PipeEnd(buffer, node, OpenFlags.WriteOnly | nonBlocking));
    }

    /// <inheritdoc/>
    public override Inode Node => node;


    /// <inheritdoc/>

    public override IoTarget IoTarget => IoTarget.Pipe;

    /// <inheritdoc/>
    public override WaitQueue? ReadWaiters => CanRead ? buffer.ReadWaiters : null;

    /// <inheritdoc/>
    public override WaitQueue? WriteWaiters => CanWrite ? buffer.WriteWaiters : null;

    /// <inheritdoc/>
    public override long? Readable => buffer.Count;

    /// <inheritdoc/>
    public override long Read(Span<byte> destination) => CanRead ? buffer.Read(destination) : -Errno.EBADF;

    /// <inheritdoc/>
    public override long Write(ReadOnlySpan<byte> source) => CanWrite ? buffer.Write(source) : -Errno.EBADF;

    /// <inheritdoc/>
    public override PollEvents Poll()
    {
        if (CanRead)
        {
            return (buffer.Count > 0 ? PollEvents.In : 0) | (buffer.Writers == 0 ? PollEvents.HangUp : 0);
        }

        return buffer.Readers == 0 ? PollEvents.Out | PollEvents.Error : buffer.Space > 0 ? PollEvents.Out : 0;
    }

    /// <inheritdoc/>
    protected override void Closed()
    {
        if (CanRead)
        {
            buffer.CloseReader();
        }
        else
        {
            buffer.CloseWriter();
        }
    }
}
