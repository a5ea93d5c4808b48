namespace KmlSim.Memory;

/// <summary>Permissions of a mapping made through <see cref="AddressSpace"/>.</summary>
[Flags]
public enum PageFlags
{
    /// <summary>Read-only, supervisor, executable.</summary>
    None = 0,
    /// <summary>Writable.</summary>
    Writable = 1,
    /// <summary>Accessible at CPL 3.</summary>
    User = 2,
    /// <summary>Not executable (NX).</summary>
    NoExecute = 4,
    /// <summary>Global (kept across CR3 writes).</summary>
    Global = 8,
}
