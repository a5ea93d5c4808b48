namespace KmlSim.Timing.Profiles;

/// <summary>Preset profiles.</summary>
public static partial class CpuProfiles
{
    /// <summary>The AMD Opteron 850 (K8 SledgeHammer, 130 nm, 2.4 GHz, 1 MB L2) of the seed article's test box.</summary>
    public static CpuProfile Opteron850 { get; } = new() { Name = "opteron850" };
}
