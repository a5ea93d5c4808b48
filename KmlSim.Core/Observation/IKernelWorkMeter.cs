namespace KmlSim.Observation;

/// <summary>
/// The kernel's work hook. System call bodies run as host C# (syscall emulation), so the cycles the real
/// 2.6.11 body would spend are charged by calling this meter: once per system call body with the number of
/// bytes it copied between user and kernel memory, naming the call by its row of the system call table
/// (<see cref="SyscallIdentity"/>: number, name and the code path whose cost the meter knows). A timing model implements it (KmlSim.Timing's
/// <c>TimingModel</c>); the functional machine uses <see cref="None"/>. The copied buffers are reported
/// separately (<see cref="ChargeCopy"/>) so that they touch the simulated caches.
/// </summary>
public interface IKernelWorkMeter
{
    /// <summary>
    /// Charges the body of system call <paramref name="call"/> that copied <paramref name="bytesCopied"/>
    /// bytes; <paramref name="target"/> says what a read or write went to (its code path depends on it).
    /// </summary>
    void Charge(SyscallIdentity call, long bytesCopied, IoTarget target);

    /// <summary>Charges a copy of <paramref name="length"/> bytes between user buffer <paramref name="user"/> and the kernel (through the caches).</summary>
    void ChargeCopy(ulong user, long length, bool toUser);

    /// <summary>Sets the region the following kernel-half cycles belong to when their code lies in no range declared with <see cref="MapCode"/> (the kernel calls it at entry, body, exit, scheduler).</summary>
    void EnterRegion(AccountingRegion region);

    /// <summary>
    /// The body of system call <paramref name="call"/> is about to run (once per attempt: a call that
    /// blocked and is restarted announces itself again). Lets a meter attribute the entry and exit cycles
    /// around the body to the call. Meters that keep no per-call figures ignore it.
    /// </summary>
    void BeginSyscall(SyscallIdentity call)
    {
    }

    /// <summary>
    /// Declares that the kernel code in [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>)
    /// belongs to <paramref name="region"/> (the kernel calls it at boot for its entry/exit code and its host-call
    /// stubs; a later declaration overrides an earlier one where they overlap). Instructions are then charged by
    /// their address, not by the last <see cref="EnterRegion"/>. Meters that keep no regions ignore it.
    /// </summary>
    void MapCode(ulong start, long length, AccountingRegion region)
    {
    }

    /// <summary>
    /// The kernel resolved a write to a copy-on-write page at <paramref name="page"/> (a fault, or a copy to user
    /// memory by a system call body): <paramref name="copied"/> when the frame was shared and the page got a
    /// private copy, false when the writer was its last user and the page only became writable again. Its
    /// translation changed, so the meter's TLBs drop it (Linux's flush_tlb_page). Meters that model no kernel
    /// work ignore it.
    /// </summary>
    void ChargeCopyOnWrite(ulong page, bool copied)
    {
    }

    /// <summary>
    /// A process called <paramref name="entry"/> of the legacy vsyscall page, which 2.6.11 served in user mode
    /// (no kernel entry): its cost is user time. Meters that model no kernel work ignore it.
    /// </summary>
    void ChargeVsyscall(VsyscallEntry entry)
    {
    }

    /// <summary>A meter that charges nothing (functional runs).</summary>
    public static IKernelWorkMeter None { get; } = new NoKernelWork();

    private sealed class NoKernelWork : IKernelWorkMeter
    {
        public void Charge(SyscallIdentity call, long bytesCopied, IoTarget target)
        {
        }

        public void ChargeCopy(ulong user, long length, bool toUser)
        {
        }

        public void EnterRegion(AccountingRegion region)
        {
        }
    }
}
