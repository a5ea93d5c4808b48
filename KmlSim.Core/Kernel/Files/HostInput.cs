using KmlSim.Observation;

namespace KmlSim.Kernel.Files;

/// <summary>Standard input: the bytes the host fed, then end of file (a FIFO whose writer has finished).</summary>
internal sealed class HostInput(StreamNode node, byte[] input) : OpenFile(OpenFlags.ReadOnly)
{
    private int position;

    /// <inheritdoc/>
    public override Inode Node => node;


    /// <inheritdoc/>

    public override IoTarget IoTarget => IoTarget.Terminal;

    /// <inheritdoc/>
    public override long? Readable => input.Length - position;

    /// <inheritdoc/>
    public override long Read(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, input.Length - position);
        input.AsSpan(position, n).CopyTo(destination);
        position += n;
        return n;
    }

    /// <inheritdoc/>
    public override PollEvents Poll() => position < input.Length ? PollEvents.In : PollEvents.In | PollEvents.HangUp;
}
