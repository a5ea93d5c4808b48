namespace KmlSim.Memory;

/// <summary>Simulated physical memory has no free frame left.</summary>
public sealed class GuestMemoryExhaustedException(ulong sizeBytes)
    : Exception($"simulated physical memory ({sizeBytes / (1024 * 1024)} MiB) is exhausted")
{
}
