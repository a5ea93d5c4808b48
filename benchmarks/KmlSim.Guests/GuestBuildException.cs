namespace KmlSim.Guests;

/// <summary>A guest could not be built: the compiler is missing, or it rejected the source (the message holds its output).</summary>
public sealed class GuestBuildException(string message) : Exception(message)
{
}
