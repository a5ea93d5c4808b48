namespace KmlSim.Kernel.Process;

/// <summary>
/// getrlimit/setrlimit/prlimit64 state: a soft and hard value per RLIMIT_* resource, starting from the
/// defaults a Linux login shell hands its children. Limits are recorded and reported; only RLIMIT_STACK
/// describes something real here (the 8 MiB stack mapped at start).
/// </summary>
internal sealed class ResourceLimits
{
    /// <summary>RLIM_INFINITY.</summary>
    public const ulong Infinity = ulong.MaxValue;

    /// <summary>RLIMIT_STACK.</summary>
    public const int Stack = 3;

    /// <summary>RLIMIT_NOFILE.</summary>
    public const int OpenFiles = 7;

    /// <summary>Number of resources (RLIM_NLIMITS).</summary>
    public const int Count = 16;

    private readonly (ulong Soft, ulong Hard)[] limits = new (ulong, ulong)[Count];

    /// <summary>Creates the defaults: 8 MiB stack, 1024 open files (hard 4096), everything else unlimited.</summary>
    public ResourceLimits()
    {
        Array.Fill(limits, (Infinity, Infinity));
        limits[Stack] = (ProcessMemory.StackSize, Infinity);
        limits[OpenFiles] = (1024, 4096);
    }

    /// <summary>The (soft, hard) limit of a resource; the caller checks the range.</summary>
    public (ulong Soft, ulong Hard) this[int resource]
    {
        get => limits[resource];
        set => limits[resource] = value;
    }
}
