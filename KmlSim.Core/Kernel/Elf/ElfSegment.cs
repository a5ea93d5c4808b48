namespace KmlSim.Kernel.Elf;

/// <summary>One ELF64 program header (the fields the loader uses), as read from the file.</summary>
/// <param name="Type">p_type (<see cref="Load"/>, <see cref="Interpreter"/>, ...).</param>
/// <param name="Flags">p_flags (<see cref="Execute"/>, <see cref="Write"/>, <see cref="Read"/>).</param>
/// <param name="Offset">p_offset: where the segment's bytes start in the file.</param>
/// <param name="VirtualAddress">p_vaddr, before any load bias.</param>
/// <param name="FileSize">p_filesz: bytes taken from the file.</param>
/// <param name="MemorySize">p_memsz: bytes in memory (the rest after the file bytes is zero, the bss).</param>
internal readonly record struct ElfSegment(uint Type, uint Flags, ulong Offset, ulong VirtualAddress, ulong FileSize, ulong MemorySize)
{
    /// <summary>PT_LOAD: mapped into memory.</summary>
    public const uint Load = 1;

    /// <summary>PT_INTERP: names a dynamic linker (dynamic executables are not supported).</summary>
    public const uint Interpreter = 3;

    /// <summary>PT_PHDR: where the program headers themselves are in memory.</summary>
    public const uint ProgramHeaders = 6;

    /// <summary>PT_GNU_STACK: its flags say whether the stack is executable.</summary>
    public const uint GnuStack = 0x6474E551;

    /// <summary>PF_X.</summary>
    public const uint Execute = 1;

    /// <summary>PF_W.</summary>
    public const uint Write = 2;

    /// <summary>PF_R.</summary>
    public const uint Read = 4;

    /// <summary>First byte after the segment in memory (before any load bias).</summary>
    public ulong End => VirtualAddress + MemorySize;
}
