namespace KmlSim.Timing.Profiles;

/// <summary>Size and associativity of a cache (line size is the profile's <see cref="CpuProfile.LineBytes"/>).</summary>
/// <param name="Bytes">Capacity in bytes.</param>
/// <param name="Ways">Associativity.</param>
public readonly record struct CacheGeometry(int Bytes, int Ways);
