namespace KmlSim.KernelModes;

/// <summary>
/// What differs between the kernels: the only place that does (DESIGN.md). The boot code asks it which
/// gates use IST and whether to assemble KML's direct entry; the exec code asks it which processes run
/// in ring 0.
/// </summary>
internal interface IKernelModePolicy
{
    /// <summary>True when the kernel assembles KML's direct-call entry and its exit test (AT_SYSINFO is then offered to ring-0 processes).</summary>
    bool HasDirectEntry { get; }

    /// <summary>
    /// True when the interrupt entry code must recognise a frame pushed for a ring-0 user process (CS with
    /// RPL 0 but a user RSP) and move it to the task's kernel stack.
    /// </summary>
    bool MovesKernelModeUserFrames { get; }

    /// <summary>The IST index (1-7) gate <paramref name="vector"/> uses, or 0 for the legacy stack switch.</summary>
    int InterruptStackFor(byte vector);

    /// <summary>
    /// The directory whose executables run in ring 0 (null when none do). It belongs to root, so that the
    /// process's user can neither create it nor put anything there: only what the host placed runs in ring 0.
    /// </summary>
    string? PrivilegedDirectory { get; }

    /// <summary>True when the executable at guest path <paramref name="guestPath"/> runs as a kernel-mode user process (CPL 0).</summary>
    bool RunsInRingZero(string guestPath);
}
