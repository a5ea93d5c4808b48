namespace KmlSim.Harness;

/// <summary>A workload did not run to a clean exit (status 0) in the simulator; the message says how it ended.</summary>
internal sealed class WorkloadFailedException(string message) : Exception(message)
{
}
