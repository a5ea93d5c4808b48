namespace KmlSim.Harness;

/// <summary>The command line's names of the kernel modes (as <c>kmlsim run --mode</c> takes them).</summary>
internal static class ModeNames
{
    /// <summary>Every mode by its name.</summary>
    public static IReadOnlyList<(string Name, KernelMode Mode)> All { get; } =
    [
        ("stock", KernelMode.Stock), ("kml", KernelMode.Kml), ("kml-without-ist", KernelMode.KmlWithoutIst), ("emulation", KernelMode.SyscallEmulation),
    ];

    /// <summary>The name of <paramref name="mode"/>.</summary>
    public static string Of(KernelMode mode) => All.First(entry => entry.Mode == mode).Name;

    /// <summary>The mode called <paramref name="name"/>.</summary>
    /// <exception cref="UsageException">No mode has that name.</exception>
    public static KernelMode Parse(string name) =>
        All.FirstOrDefault(entry => entry.Name == name) is { Name: not null } found
            ? found.Mode
            : throw new UsageException($"'{name}' is not a kernel mode: use one of {string.Join(", ", All.Select(e => e.Name))}");
}
