using KmlSim.Observation;

namespace KmlSim.Kernel.Files;

/// <summary>An open character device: reads come from the device, writes vanish, seeks succeed and go nowhere (as on Linux).</summary>
internal sealed class DeviceOpenFile(DeviceNode device, int statusFlags) : OpenFile(statusFlags)
{
    /// <inheritdoc/>
    public override Inode Node => device;

    /// <inheritdoc/>
    public override IoTarget IoTarget => device.IsNull ? IoTarget.NullDevice : IoTarget.Unspecified;

    /// <inheritdoc/>
    public override bool DiscardsWrites => device.DiscardsWrites;

    /// <inheritdoc/>
    public override long Read(Span<byte> destination) => device.Read(destination);

    /// <inheritdoc/>
    public override long Write(ReadOnlySpan<byte> source) => source.Length;

    /// <inheritdoc/>
    public override long ReadAt(long offset, Span<byte> destination) => device.Read(destination);

    /// <inheritdoc/>
    public override long WriteAt(long offset, ReadOnlySpan<byte> source) => source.Length;

    /// <inheritdoc/>
    public override long Seek(long offset, int whence) => 0;
}
