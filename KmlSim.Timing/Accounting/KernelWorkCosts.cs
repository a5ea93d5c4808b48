using KmlSim.Timing.Profiles;

namespace KmlSim.Timing.Accounting;

/// <summary>
/// The cost model of the kernel's work hook: system call bodies run as host C#, so their cycles are a base
/// cost per call plus a per-byte copy cost. Both are profile parameters: the base
/// (<see cref="CpuProfile.SyscallBodyBaseCycles"/>) is an estimate (the 2.6.11 bodies of simple calls such as
/// getppid are a handful of loads and an LFENCE, reference §4); the copy rate is REP MOVSQ's measured
/// 15.6 B/clk ([InstLat-X2]), the instruction 2.6.11's copy_user_generic uses. Per-call bodies can be
/// refined here by number without touching the kernel.
/// </summary>
public sealed class KernelWorkCosts(CpuProfile profile)
{
    /// <summary>Cycles of the body of system call <paramref name="number"/> that copied <paramref name="bytesCopied"/> bytes.</summary>
    public long BodyCycles(int number, long bytesCopied) =>
        profile.SyscallBodyBaseCycles + (long)Math.Ceiling(Math.Max(bytesCopied, 0) / profile.CopyBytesPerCycle);
}
