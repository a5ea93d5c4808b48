using System.Runtime.InteropServices;

namespace KmlSim.Harness;

/// <summary>The host a run was measured on.</summary>
/// <param name="OperatingSystem">The OS description.</param>
/// <param name="Runtime">The .NET runtime.</param>
/// <param name="Architecture">The process architecture.</param>
/// <param name="Processors">Logical processors.</param>
internal sealed record HostDescription(string OperatingSystem, string Runtime, string Architecture, int Processors)
{
    /// <summary>This host.</summary>
    public static HostDescription Current => new(
        RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, RuntimeInformation.ProcessArchitecture.ToString(), Environment.ProcessorCount);
}
