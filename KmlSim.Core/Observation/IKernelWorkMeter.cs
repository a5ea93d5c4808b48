namespace KmlSim.Observation;

/// <summary>
/// The kernel's work hook. System call bodies run as host C# (syscall emulation), so the cycles the real
/// 2.6.11 body would spend are charged by calling this meter: once per system call body with the number of
/// bytes it copied between user and kernel memory. A timing model implements it (KmlSim.Timing's
/// <c>TimingModel</c>); the functional machine uses <see cref="None"/>. The copied buffers are reported
/// separately (<see cref="ChargeCopy"/>) so that they touch the simulated caches.
/// </summary>
public interface IKernelWorkMeter
{
    /// <summary>Charges the body of system call <paramref name="syscallNumber"/> that copied <paramref name="bytesCopied"/> bytes.</summary>
    void Charge(int syscallNumber, long bytesCopied);

    /// <summary>Charges a copy of <paramref name="length"/> bytes between user buffer <paramref name="user"/> and the kernel (through the caches).</summary>
    void ChargeCopy(ulong user, long length, bool toUser);

    /// <summary>Sets the region the following kernel-half cycles belong to (the kernel calls it at entry, body, exit, scheduler).</summary>
    void EnterRegion(AccountingRegion region);

    /// <summary>A meter that charges nothing (functional runs).</summary>
    public static IKernelWorkMeter None { get; } = new NoKernelWork();

    private sealed class NoKernelWork : IKernelWorkMeter
    {
        public void Charge(int syscallNumber, long bytesCopied)
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
