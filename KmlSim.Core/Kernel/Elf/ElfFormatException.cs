namespace KmlSim.Kernel.Elf;

/// <summary>
/// The file given to the loader is not a static x86-64 ELF64 executable this machine can run: bad magic,
/// a 32-bit or big-endian file, another machine, headers or segments outside the file, overlapping or
/// absurd segments, or a dynamically linked program. The message names the problem.
/// </summary>
public sealed class ElfFormatException(string message) : Exception(message)
{
}
