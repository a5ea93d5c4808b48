namespace KmlSim.Kernel.Process;

/// <summary>Access rights of a mapping, with the values of Linux's PROT_* bits.</summary>
[Flags]
internal enum Protection
{
    /// <summary>PROT_NONE: no access (pages are not present).</summary>
    None = 0,
    /// <summary>PROT_READ.</summary>
    Read = 1,
    /// <summary>PROT_WRITE.</summary>
    Write = 2,
    /// <summary>PROT_EXEC.</summary>
    Execute = 4,
}
