using Iced.Intel;
using KmlSim.Observation;
using KmlSim.Timing.Profiles;

namespace KmlSim.Timing.Accounting;

/// <summary>
/// The cost model of the kernel's work hook: system call bodies run as host C#, so their cycles are the
/// 2.6.11 common path of the call (the profile's <see cref="CpuProfile.KernelPaths"/>: instructions at the profile's kernel IPC, a named
/// estimate, plus each locked read-modify-write and fence at the profile's cost for it) plus a per-byte copy cost
/// at REP MOVSQ's measured 15.6 B/clk ([InstLat-X2]; 2.6.11's copy_user_generic uses it). A call without an
/// estimated path costs <see cref="CpuProfile.SyscallBodyBaseCycles"/> (estimate). Cache and TLB misses of the
/// copied user buffers are charged separately (<see cref="Observation.IKernelWorkMeter.ChargeCopy"/>).
/// </summary>
public sealed class KernelWorkCosts(CpuProfile profile)
{
    /// <summary>Bytes of a page (copy_user_highpage copies one).</summary>
    public const int PageBytes = 4096;

    private readonly int lockedLatency = profile.Instructions.Locked.Latency;
    private readonly int fenceLatency = profile.Instructions.For(Code.Lfence).Latency;
    private readonly int invalidationLatency = profile.Instructions.For(Code.Invlpg_m).Latency;
    private readonly int clockReadLatency = profile.Instructions.For(Code.Cpuid).Latency + profile.Instructions.For(Code.Rdtsc).Latency;

    /// <summary>Cycles of a system call body taking path <paramref name="path"/> on <paramref name="target"/> that copied <paramref name="bytesCopied"/> bytes.</summary>
    public long BodyCycles(KernelPathId path, long bytesCopied, IoTarget target = IoTarget.Unspecified) =>
        PathCycles(path, target) + CopyCycles(bytesCopied);

    /// <summary>Cycles of common path <paramref name="path"/> on <paramref name="target"/>, without its copies.</summary>
    public long PathCycles(KernelPathId path, IoTarget target = IoTarget.Unspecified) => profile.KernelPaths.Of(path, target) is { } figures
        ? PathCycles(figures)
        : profile.SyscallBodyBaseCycles;

    /// <summary>Cycles of a resolved copy-on-write fault: its path, and the 4 KB page copy when the page was <paramref name="copied"/>.</summary>
    public long CopyOnWriteCycles(bool copied) => copied
        ? PathCycles(profile.KernelPaths.CopyOnWriteCopy) + CopyCycles(PageBytes)
        : PathCycles(profile.KernelPaths.CopyOnWriteReuse);

    /// <summary>
    /// Cycles of a call to vsyscall entry <paramref name="entry"/> (user-mode code in 2.6.11): its path, and for
    /// the clock reads the CPUID of <c>sync_core()</c> and the RDTSC at the profile's costs for them.
    /// </summary>
    public long VsyscallCycles(VsyscallEntry entry) => entry switch
    {
        VsyscallEntry.Gettimeofday => PathCycles(profile.KernelPaths.Vgettimeofday) + clockReadLatency,
        VsyscallEntry.Time => PathCycles(profile.KernelPaths.Vtime) + clockReadLatency,
        _ => PathCycles(profile.KernelPaths.Venosys),
    };

    /// <summary>Cycles of copying <paramref name="bytes"/> at the profile's REP MOVSQ rate.</summary>
    private long CopyCycles(long bytes) => (long)Math.Ceiling(Math.Max(bytes, 0) / profile.CopyBytesPerCycle);

    /// <summary>Cycles of a path: its instructions at the kernel IPC, and its locked operations, fences and INVLPGs at their table latencies.</summary>
    public long PathCycles(KernelPath path) =>
        (long)Math.Ceiling(path.Instructions / profile.KernelInstructionsPerCycle) + (path.LockedOperations * lockedLatency)
        + (path.Fences * fenceLatency) + (path.PageInvalidations * invalidationLatency);
}
