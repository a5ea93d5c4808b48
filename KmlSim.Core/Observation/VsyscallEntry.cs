namespace KmlSim.Observation;

/// <summary>
/// The entries of the legacy vsyscall page (0xffffffffff600000, one every 1,024 bytes). Linux 2.6.11 ran
/// them in user mode, without entering the kernel, so their cost is user time (<see cref="IKernelWorkMeter.ChargeVsyscall"/>).
/// </summary>
public enum VsyscallEntry
{
    /// <summary>Offset 0: gettimeofday(tv, tz).</summary>
    Gettimeofday,

    /// <summary>Offset 0x400: time(t).</summary>
    Time,

    /// <summary>Offset 0x800: 2.6.11's <c>venosys_0</c>, which returns -ENOSYS (getcpu came later).</summary>
    Enosys,
}
