namespace KmlSim.KernelModes;

/// <summary>
/// Kernel Mode Linux for AMD64 (the seed article; the 4.0 port's <c>kml_4.0_001.diff</c>): executables
/// under <c>/trusted/</c> run at CPL 0, call the kernel through the direct entry passed as AT_SYSINFO, and
/// every gate uses IST 5 so that the CPU always switches stacks; the entry code then moves the frame to
/// the task's kernel stack.
/// </summary>
internal sealed class KernelModeLinux : IKernelModePolicy
{
    /// <summary>The IST index every gate uses (as in the 4.0 port).</summary>
    public const int SharedInterruptStack = 5;

    /// <summary>The directory whose executables run in ring 0.</summary>
    public const string TrustedPrefix = "/trusted/";

    /// <inheritdoc/>
    public bool HasDirectEntry => true;

    /// <inheritdoc/>
    public bool MovesKernelModeUserFrames => true;

    /// <inheritdoc/>
    public int InterruptStackFor(byte vector) => SharedInterruptStack;

    /// <inheritdoc/>
    public string? PrivilegedDirectory => TrustedPrefix.TrimEnd('/');

    /// <inheritdoc/>
    public bool RunsInRingZero(string guestPath) => guestPath.StartsWith(TrustedPrefix, StringComparison.Ordinal);
}
