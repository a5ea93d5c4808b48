using System.Buffers.Binary;

namespace KmlSim.Kernel.Elf;

/// <summary>
/// A validated x86-64 ELF64 executable or shared object: ET_EXEC, or ET_DYN (a PIE, a static-PIE, or a
/// dynamic linker such as ld.so), with or without PT_INTERP naming the program interpreter. Parsing checks
/// every field the loader relies on, so that no input, however malformed, reaches the loader with an offset
/// or size that could index outside the file: the only failure is <see cref="ElfFormatException"/>.
/// </summary>
internal sealed class ElfFile
{
    /// <summary>ET_EXEC: a position-dependent executable.</summary>
    public const ushort TypeExecutable = 2;

    /// <summary>ET_DYN: position-independent (a PIE, a static-PIE or a shared object such as ld.so).</summary>
    public const ushort TypeShared = 3;

    private const int HeaderSize = 64;
    private const int ProgramHeaderSize = 56;
    private const ushort MachineX8664 = 62;

    /// <summary>Longest PT_INTERP path, terminator included: Linux's load_elf_binary refuses more than PATH_MAX.</summary>
    private const ulong MaxInterpreterBytes = 4096;

    /// <summary>Linux refuses program header tables larger than 64 KiB (ELF_MIN_ALIGN.. elf_read_phdrs).</summary>
    private const int MaxProgramHeaderBytes = 65536;

    /// <summary>Lowest address a segment may occupy (Linux's default vm.mmap_min_addr).</summary>
    public const ulong MinimumAddress = 0x10000;

    /// <summary>End of the user half of the canonical 48-bit address space.</summary>
    public const ulong UserSpaceEnd = 0x0000_8000_0000_0000;

    private ElfFile(byte[] contents, ushort type, ulong entry, ulong programHeaderOffset, IReadOnlyList<ElfSegment> segments, string? interpreter)
    {
        Interpreter = interpreter;
        Contents = contents;
        Type = type;
        Entry = entry;
        ProgramHeaderOffset = programHeaderOffset;
        Segments = segments;
    }

    /// <summary>The whole file.</summary>
    public byte[] Contents { get; }

    /// <summary>e_type: <see cref="TypeExecutable"/> or <see cref="TypeShared"/>.</summary>
    public ushort Type { get; }

    /// <summary>e_entry, before any load bias.</summary>
    public ulong Entry { get; }

    /// <summary>e_phoff: file offset of the program header table.</summary>
    public ulong ProgramHeaderOffset { get; }

    /// <summary>The program interpreter PT_INTERP names (the dynamic linker's guest path), or null for a static executable.</summary>
    public string? Interpreter { get; }

    /// <summary>Every program header, in file order.</summary>
    public IReadOnlyList<ElfSegment> Segments { get; }

    /// <summary>Size of one program header entry (AT_PHENT).</summary>
    public static int ProgramHeaderEntrySize => ProgramHeaderSize;

    /// <summary>True for ET_DYN: the image is placed at a load base of the loader's choosing.</summary>
    public bool IsPositionIndependent => Type == TypeShared;

    /// <summary>Parses and validates an executable.</summary>
    /// <exception cref="ElfFormatException">The file is not an x86-64 executable this machine runs.</exception>
    public static ElfFile Parse(byte[] contents)
    {
        ReadOnlySpan<byte> file = contents;
        if (file.Length < 4 || file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
        {
            throw new ElfFormatException("not an ELF file (bad magic number)");
        }

        if (file.Length < HeaderSize)
        {
            throw new ElfFormatException($"truncated ELF header ({file.Length} of {HeaderSize} bytes)");
        }

        switch (file[4])
        {
            case 2: break;
            case 1: throw new ElfFormatException("ELFCLASS32 (32-bit) executables are not supported; only ELF64 x86-64");
            default: throw new ElfFormatException($"invalid ELF class {file[4]}");
        }

        if (file[5] != 1)
        {
            throw new ElfFormatException(file[5] == 2 ? "big-endian ELF files are not supported" : $"invalid ELF data encoding {file[5]}");
        }

        if (file[6] != 1 || BinaryPrimitives.ReadUInt32LittleEndian(file[20..]) != 1)
        {
            throw new ElfFormatException("unsupported ELF version");
        }

        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(file[16..]);
        if (type != TypeExecutable && type != TypeShared)
        {
            throw new ElfFormatException(type switch
            {
                1 => "a relocatable object file (ET_REL) is not an executable",
                4 => "a core dump (ET_CORE) is not an executable",
                _ => $"ELF type {type} is not an executable",
            });
        }

        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(file[18..]);
        if (machine != MachineX8664)
        {
            throw new ElfFormatException($"ELF machine {machine} is not x86-64 ({MachineX8664})");
        }

        ulong entry = BinaryPrimitives.ReadUInt64LittleEndian(file[24..]);
        ulong phoff = BinaryPrimitives.ReadUInt64LittleEndian(file[32..]);
        ushort phentsize = BinaryPrimitives.ReadUInt16LittleEndian(file[54..]);
        ushort phnum = BinaryPrimitives.ReadUInt16LittleEndian(file[56..]);
        if (phentsize != ProgramHeaderSize)
        {
            throw new ElfFormatException($"program header entry size {phentsize} is not {ProgramHeaderSize}");
        }

        if (phnum == 0 || phnum * ProgramHeaderSize > MaxProgramHeaderBytes)
        {
            throw new ElfFormatException($"program header count {phnum} is out of range");
        }

        ulong tableBytes = (ulong)phnum * ProgramHeaderSize;
        if (phoff > (ulong)file.Length || tableBytes > (ulong)file.Length - phoff)
        {
            throw new ElfFormatException($"program headers (offset 0x{phoff:x}, {tableBytes} bytes) lie outside the {file.Length}-byte file");
        }

        var segments = new ElfSegment[phnum];
        for (int i = 0; i < phnum; i++)
        {
            ReadOnlySpan<byte> ph = file.Slice((int)phoff + (i * ProgramHeaderSize), ProgramHeaderSize);
            segments[i] = new ElfSegment(
                Type: BinaryPrimitives.ReadUInt32LittleEndian(ph),
                Flags: BinaryPrimitives.ReadUInt32LittleEndian(ph[4..]),
                Offset: BinaryPrimitives.ReadUInt64LittleEndian(ph[8..]),
                VirtualAddress: BinaryPrimitives.ReadUInt64LittleEndian(ph[16..]),
                FileSize: BinaryPrimitives.ReadUInt64LittleEndian(ph[32..]),
                MemorySize: BinaryPrimitives.ReadUInt64LittleEndian(ph[40..]));
        }

        ValidateSegments(segments, (ulong)file.Length);
        return new ElfFile(contents, type, entry, phoff, segments, InterpreterPath(segments, file));
    }

    /// <summary>The path PT_INTERP holds (NUL-terminated, inside the file, at most PATH_MAX), or null without one.</summary>
    private static string? InterpreterPath(ElfSegment[] segments, ReadOnlySpan<byte> file)
    {
        string? path = null;
        foreach (ElfSegment s in segments)
        {
            if (s.Type != ElfSegment.Interpreter)
            {
                continue;
            }

            if (path is not null)
            {
                throw new ElfFormatException("more than one PT_INTERP segment");
            }

            if (s.FileSize < 2 || s.FileSize > MaxInterpreterBytes || s.Offset > (ulong)file.Length || s.FileSize > (ulong)file.Length - s.Offset)
            {
                throw new ElfFormatException($"PT_INTERP (offset 0x{s.Offset:x}, size 0x{s.FileSize:x}) is empty, longer than {MaxInterpreterBytes} bytes or outside the file");
            }

            ReadOnlySpan<byte> text = file.Slice((int)s.Offset, (int)s.FileSize);
            if (text[^1] != 0 || text[..^1].Contains((byte)0))
            {
                throw new ElfFormatException("PT_INTERP is not one NUL-terminated path");
            }

            path = System.Text.Encoding.UTF8.GetString(text[..^1]);
        }

        return path;
    }

    private static void ValidateSegments(ElfSegment[] segments, ulong fileLength)
    {
        var loads = new List<(int Index, ElfSegment Segment)>();
        for (int i = 0; i < segments.Length; i++)
        {
            ElfSegment s = segments[i];
            if (s.Type != ElfSegment.Load)
            {
                continue;
            }

            if (s.FileSize > s.MemorySize)
            {
                throw new ElfFormatException($"segment {i}: file size 0x{s.FileSize:x} exceeds memory size 0x{s.MemorySize:x}");
            }

            if (s.Offset > fileLength || s.FileSize > fileLength - s.Offset)
            {
                throw new ElfFormatException($"segment {i}: file bytes (offset 0x{s.Offset:x}, size 0x{s.FileSize:x}) lie outside the {fileLength}-byte file");
            }

            if (s.VirtualAddress >= UserSpaceEnd || s.MemorySize > UserSpaceEnd - s.VirtualAddress)
            {
                throw new ElfFormatException($"segment {i}: address range 0x{s.VirtualAddress:x} + 0x{s.MemorySize:x} lies outside user space");
            }

            if (((s.VirtualAddress - s.Offset) & 0xFFF) != 0)
            {
                throw new ElfFormatException($"segment {i}: address 0x{s.VirtualAddress:x} and file offset 0x{s.Offset:x} differ modulo the 4 KiB page size");
            }

            loads.Add((i, s));
        }

        if (loads.Count == 0)
        {
            throw new ElfFormatException("no loadable (PT_LOAD) segment");
        }

        loads.Sort((a, b) => a.Segment.VirtualAddress.CompareTo(b.Segment.VirtualAddress));
        for (int k = 1; k < loads.Count; k++)
        {
            if (loads[k - 1].Segment.End > loads[k].Segment.VirtualAddress)
            {
                throw new ElfFormatException($"segments {loads[k - 1].Index} and {loads[k].Index} overlap");
            }
        }
    }
}
