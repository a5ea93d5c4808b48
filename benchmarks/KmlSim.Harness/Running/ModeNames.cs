namespace KmlSim.Harness;

/// <summary>
/// The command line's names of the kernel modes, the one place <c>run --mode</c>, <c>sweep --param mode</c>
/// and the reports take them from.
/// </summary>
internal static class ModeNames
{
    /// <summary>Every mode by its name, with what it is in a few words (for help).</summary>
    public static IReadOnlyList<(string Name, KernelMode Mode, string Description)> All { get; } =
    [
        ("stock", KernelMode.Stock, "stock Linux"),
        ("kml", KernelMode.Kml, "Kernel Mode Linux: programs under /trusted run in ring 0"),
        ("kml-without-ist", KernelMode.KmlWithoutIst, "KML without its IST fix"),
        ("emulation", KernelMode.SyscallEmulation, "no kernel code: fastest, one process"),
    ];

    /// <summary>The modes as (name, mode) choices for an option.</summary>
    public static IReadOnlyList<(string Name, KernelMode Mode)> Choices { get; } = All.Select(entry => (entry.Name, entry.Mode)).ToArray();

    /// <summary>"name (description), ..." for help texts.</summary>
    public static string Described => string.Join(", ", All.Select(entry => $"{entry.Name} ({entry.Description})"));

    /// <summary>The name of <paramref name="mode"/>.</summary>
    public static string Of(KernelMode mode) => All.First(entry => entry.Mode == mode).Name;

    /// <summary>The mode called <paramref name="name"/>.</summary>
    /// <exception cref="UsageException">No mode has that name.</exception>
    public static KernelMode Parse(string name) =>
        All.FirstOrDefault(entry => entry.Name == name) is { Name: not null } found
            ? found.Mode
            : throw new UsageException($"'{name}' is not a kernel mode: use one of {string.Join(", ", All.Select(e => e.Name))}");
}
