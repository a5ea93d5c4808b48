using KmlSim.Kernel.Scheduling;
using KmlSim.Observation;

namespace KmlSim.Kernel.Files;

/// <summary>
/// One end of socketpair(AF_UNIX, SOCK_STREAM): it reads one <see cref="PipeBuffer"/> and writes the
/// other, so each direction has its own 64 KiB of buffering. EOF once the peer closed; a write after
/// the peer closed gives EPIPE (and SIGPIPE, as unix_stream_sendmsg does).
/// </summary>
internal sealed class SocketEnd : OpenFile
{
    private readonly PipeBuffer incoming;
    private readonly PipeBuffer outgoing;
    private readonly StreamNode node;

    private SocketEnd(PipeBuffer incoming, PipeBuffer outgoing, StreamNode node, int statusFlags)
        : base(statusFlags)
    {
        this.incoming = incoming;
        this.outgoing = outgoing;
        this.node = node;
        incoming.Readers++;
        outgoing.Writers++;
    }

    /// <summary>Creates a connected pair, with O_NONBLOCK from <paramref name="flags"/>.</summary>
    public static (SocketEnd First, SocketEnd Second) CreatePair(VirtualFileSystem fileSystem, int flags)
    {
        var toFirst = new PipeBuffer();
        var toSecond = new PipeBuffer();
        int status = OpenFlags.ReadWrite | (flags & OpenFlags.NonBlocking);
        return (
            new SocketEnd(toFirst, toSecond, new StreamNode(fileSystem.NextInodeNumber(), NodeKind.Socket) { LinkCount = 1 }, status),
            new SocketEnd(toSecond, toFirst, new StreamNode(fileSystem.NextInodeNumber(), NodeKind.Socket) { LinkCount = 1 }, status));
    }

    /// <inheritdoc/>
    public override Inode Node => node;


    /// <inheritdoc/>

    public override IoTarget IoTarget => IoTarget.Socket;

    /// <inheritdoc/>
    public override WaitQueue ReadWaiters => incoming.ReadWaiters;

    /// <inheritdoc/>
    public override WaitQueue WriteWaiters => outgoing.WriteWaiters;

    /// <inheritdoc/>
    public override long? Readable => incoming.Count;

    /// <inheritdoc/>
    public override long Read(Span<byte> destination) => incoming.Read(destination);

    /// <inheritdoc/>
    public override long Write(ReadOnlySpan<byte> source) => outgoing.Write(source);

    /// <inheritdoc/>
    public override PollEvents Poll()
    {
        PollEvents events = incoming.Count > 0 || incoming.Writers == 0 ? PollEvents.In : 0;
        if (outgoing.Readers == 0)
        {
            events |= PollEvents.HangUp | PollEvents.Out; // a write now fails at once with EPIPE, so it does not block
        }
        else if (outgoing.Space > 0)
        {
            events |= PollEvents.Out;
        }

        return events;
    }

    /// <inheritdoc/>
    protected override void Closed()
    {
        incoming.CloseReader();
        outgoing.CloseWriter();
    }
}
