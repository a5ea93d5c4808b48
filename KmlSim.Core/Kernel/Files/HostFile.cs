using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel.Files;

/// <summary>
/// A host file mapped read-only. Its bytes are read once, through <see cref="HostSandbox.ReadVerified"/>,
/// on first use, and kept: the guest sees one consistent snapshot, and later reads cost no host I/O. Its
/// mode, owner, size, times and link count are the host's.
/// </summary>
internal sealed class HostFile(long number, HostSandbox sandbox, string hostPath) : FileNode(number, HostStatus.PermissionsOf(hostPath))
{
    private byte[]? contents;

    /// <inheritdoc/>
    public override bool IsReadOnly => true;

    /// <inheritdoc/>
    public override long Size => contents?.LongLength ?? (sandbox.Contains(hostPath) ? new FileInfo(hostPath).Length : 0);

    /// <inheritdoc/>
    public override byte[]? HostStat() => sandbox.Contains(hostPath) ? HostStatus.Of(hostPath) : null;

    /// <summary>Loads the contents; false when the host file is gone or now lies outside the mapping.</summary>
    public bool TryLoad()
    {
        contents ??= sandbox.ReadVerified(hostPath);
        return contents is not null;
    }

    /// <inheritdoc/>
    public override int Read(long offset, Span<byte> destination)
    {
        if (!TryLoad() || offset >= contents!.LongLength)
        {
            return 0;
        }

        int n = (int)Math.Min(destination.Length, contents.LongLength - offset);
        contents.AsSpan((int)offset, n).CopyTo(destination);
        return n;
    }

    /// <inheritdoc/>
    public override long Write(long offset, ReadOnlySpan<byte> source) => -Errno.EROFS;

    /// <inheritdoc/>
    public override long Truncate(long length) => -Errno.EROFS;
}
