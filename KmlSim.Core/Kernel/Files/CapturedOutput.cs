using KmlSim.Observation;

namespace KmlSim.Kernel.Files;

/// <summary>
/// Standard output or error: a write-only stream the host captures. It reports itself as a FIFO, as under
/// a shell pipe, so libc buffers output fully.
/// </summary>
internal sealed class CapturedOutput(StreamNode node, MemoryStream sink) : OpenFile(OpenFlags.WriteOnly)
{
    /// <inheritdoc/>
    public override Inode Node => node;

    /// <inheritdoc/>
    public override IoTarget IoTarget => IoTarget.Terminal;

    /// <inheritdoc/>
    public override long Write(ReadOnlySpan<byte> source)
    {
        sink.Write(source);
        return source.Length;
    }

    /// <inheritdoc/>
    public override PollEvents Poll() => PollEvents.Out;
}
