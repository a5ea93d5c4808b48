namespace KmlSim.KernelModes;

/// <summary>
/// KML without its IST fix, to reproduce what the seed article says goes wrong: ring-0 processes and the
/// direct entry as in <see cref="KernelModeLinux"/>, but no gate uses IST (not even the double fault's).
/// An interrupt taken while a ring-0 process runs is pushed on that process's own stack (over its red
/// zone), and a fault on an unusable stack cannot be delivered: #PF becomes #DF, which cannot be pushed
/// either, and the processor shuts down (triple fault).
/// </summary>
internal sealed class KmlWithoutIst : IKernelModePolicy
{
    /// <inheritdoc/>
    public bool HasDirectEntry => true;

    /// <inheritdoc/>
    public bool MovesKernelModeUserFrames => true;

    /// <inheritdoc/>
    public int InterruptStackFor(byte vector) => 0;

    /// <inheritdoc/>
    public string? PrivilegedDirectory => KernelModeLinux.TrustedPrefix.TrimEnd('/');

    /// <inheritdoc/>
    public bool RunsInRingZero(string guestPath) => guestPath.StartsWith(KernelModeLinux.TrustedPrefix, StringComparison.Ordinal);
}
