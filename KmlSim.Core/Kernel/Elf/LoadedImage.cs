namespace KmlSim.Kernel.Elf;

/// <summary>Where the loader put an executable: what the initial stack's auxiliary vector reports.</summary>
/// <param name="Entry">The entry point (AT_ENTRY), load bias included.</param>
/// <param name="ProgramHeaders">Address of the program header table in memory (AT_PHDR).</param>
/// <param name="ProgramHeaderCount">Number of program headers (AT_PHNUM).</param>
/// <param name="End">First address after the highest segment (the program break starts at the next page).</param>
/// <param name="ExecutableStack">PT_GNU_STACK asked for an executable stack (or is absent).</param>
internal readonly record struct LoadedImage(ulong Entry, ulong ProgramHeaders, int ProgramHeaderCount, ulong End, bool ExecutableStack);
