namespace KmlSim.Kernel.Elf;

/// <summary>Where the loader put an executable: what the initial stack's auxiliary vector reports.</summary>
/// <param name="Entry">The entry point (AT_ENTRY), load bias included.</param>
/// <param name="ProgramHeaders">Address of the program header table in memory (AT_PHDR).</param>
/// <param name="ProgramHeaderCount">Number of program headers (AT_PHNUM).</param>
/// <param name="End">First address after the highest segment (the program break starts at the next page).</param>
/// <param name="ExecutableStack">PT_GNU_STACK asked for an executable stack (or is absent).</param>
internal readonly record struct LoadedImage(ulong Entry, ulong ProgramHeaders, int ProgramHeaderCount, ulong End, bool ExecutableStack)
{
    /// <summary>What was added to the file's addresses (0 for ET_EXEC).</summary>
    public ulong Bias { get; init; }

    /// <summary>Where the program starts running: the interpreter's entry for a dynamic program, else <see cref="Entry"/>.</summary>
    public ulong Start { get; init; }

    /// <summary>The interpreter's load bias (AT_BASE), 0 for a static program.</summary>
    public ulong InterpreterBase { get; init; }

    /// <summary>Where the vDSO's ELF header is (AT_SYSINFO_EHDR), 0 when none was mapped.</summary>
    public ulong SystemInfoHeader { get; init; }
}
