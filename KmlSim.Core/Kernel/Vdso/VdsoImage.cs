using System.Buffers.Binary;
using System.Text;
using KmlSim.Kernel.Process;

namespace KmlSim.Kernel.Vdso;

/// <summary>
/// The vDSO, "linux-vdso.so.1": a small ET_DYN ELF image linked at 0, as Linux's is, holding the functions
/// of <see cref="VdsoCode"/> under their __vdso_ names (and the plain names as weak aliases), with what
/// glibc's setup_vdso and dl_vdso_vsym read: the program headers (one PT_LOAD, a read-only PT_DYNAMIC),
/// and a dynamic section naming DT_HASH (one bucket: a lookup walks every symbol), DT_SYMTAB, DT_STRTAB
/// and DT_SONAME. It has no symbol versions, so glibc's lookup for the LINUX_2.6 version accepts the
/// symbols as they are (check_match takes any symbol of an object without a version table). The process
/// gets the image at AT_SYSINFO_EHDR with the <see cref="VvarLayout"/> page one page below it.
/// </summary>
internal static class VdsoImage
{
    /// <summary>Bytes mapped for the image: one page (the vvar page is separate).</summary>
    public const int Size = 4096;

    /// <summary>Bytes exec maps for the vDSO: the vvar page and the image.</summary>
    public const ulong MappedBytes = ProcessMemory.PageSize + Size;

    private const int HeaderSize = 64, ProgramHeaderSize = 56, ProgramHeaderCount = 2;
    private const int DynamicOffset = 0x100, HashOffset = 0x180, SymbolsOffset = 0x200, StringsOffset = 0x380, CodeOffset = 0x500;
    private const int SymbolSize = 24;
    private const uint LoadType = 1, DynamicType = 2, Read = 4, Execute = 1;
    private const long DtNull = 0, DtHash = 4, DtStrtab = 5, DtSymtab = 6, DtStrsz = 10, DtSyment = 11, DtSoname = 14;
    private const byte GlobalFunction = 0x12, WeakFunction = 0x22;
    private const ushort TextSection = 1; // any index but SHN_UNDEF and SHN_ABS: glibc adds the load base to st_value

    /// <summary>The soname glibc's link map shows for the vDSO.</summary>
    public const string SharedObjectName = "linux-vdso.so.1";

    private static readonly Lazy<byte[]> Built = new(Build);

    /// <summary>The image (the same bytes for every process: the code reaches the vvar page RIP-relative).</summary>
    public static ReadOnlySpan<byte> Bytes => Built.Value;

    private static byte[] Build()
    {
        // The code is assembled as if the image were at 0x1000 with the vvar page at 0: only the distance counts.
        (byte[] code, IReadOnlyList<(string Name, ulong Offset, ulong Size)> functions) = VdsoCode.Assemble(0x1000 + CodeOffset, 0);
        var image = new byte[Size];
        Span<byte> s = image;
        if (CodeOffset + code.Length > Size)
        {
            throw new InvalidOperationException($"the vDSO code ({code.Length} bytes) does not fit its page");
        }

        code.CopyTo(s[CodeOffset..]);

        // Strings: the soname, then each name; symbols: the null symbol, then __vdso_NAME (global) and NAME (weak).
        var strings = new List<byte> { 0 };
        int Add(string text)
        {
            int at = strings.Count;
            strings.AddRange(Encoding.ASCII.GetBytes(text));
            strings.Add(0);
            return at;
        }

        int soname = Add(SharedObjectName);
        var symbols = new List<(int Name, byte Info, ulong Value, ulong Size)>();
        foreach ((string name, ulong offset, ulong size) in functions)
        {
            symbols.Add((Add("__vdso_" + name), GlobalFunction, CodeOffset + offset, size));
            symbols.Add((Add(name), WeakFunction, CodeOffset + offset, size));
        }

        int count = symbols.Count + 1;
        if (SymbolsOffset + (count * SymbolSize) > StringsOffset || StringsOffset + strings.Count > CodeOffset)
        {
            throw new InvalidOperationException("the vDSO's symbols or strings overflow their space");
        }

        strings.ToArray().CopyTo(s[StringsOffset..]);
        for (int i = 0; i < symbols.Count; i++)
        {
            Span<byte> symbol = s.Slice(SymbolsOffset + ((i + 1) * SymbolSize), SymbolSize);
            BinaryPrimitives.WriteUInt32LittleEndian(symbol, (uint)symbols[i].Name);
            symbol[4] = symbols[i].Info;
            BinaryPrimitives.WriteUInt16LittleEndian(symbol[6..], TextSection);
            BinaryPrimitives.WriteUInt64LittleEndian(symbol[8..], symbols[i].Value);
            BinaryPrimitives.WriteUInt64LittleEndian(symbol[16..], symbols[i].Size);
        }

        // DT_HASH: nbucket = 1, nchain = count; bucket[0] = 1; chain[i] = i + 1, the last 0.
        var hash = new uint[2 + 1 + count];
        hash[0] = 1;
        hash[1] = (uint)count;
        hash[2] = 1;
        for (int i = 1; i < count - 1; i++)
        {
            hash[3 + i] = (uint)(i + 1);
        }

        for (int i = 0; i < hash.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(s[(HashOffset + (i * 4))..], hash[i]);
        }

        long[] dynamic = [DtHash, HashOffset, DtStrtab, StringsOffset, DtSymtab, SymbolsOffset, DtStrsz, strings.Count, DtSyment, SymbolSize, DtSoname, soname, DtNull, 0];
        if (DynamicOffset + (dynamic.Length * 8) > HashOffset || HashOffset + (hash.Length * 4) > SymbolsOffset)
        {
            throw new InvalidOperationException("the vDSO's dynamic section or hash table overflows its space");
        }

        for (int i = 0; i < dynamic.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(s[(DynamicOffset + (i * 8))..], dynamic[i]);
        }

        WriteHeader(s);
        WriteProgramHeader(s[HeaderSize..], LoadType, Read | Execute, 0, Size, 0x1000);
        WriteProgramHeader(s[(HeaderSize + ProgramHeaderSize)..], DynamicType, Read, DynamicOffset, (ulong)(dynamic.Length * 8), 8);
        return image;
    }

    private static void WriteHeader(Span<byte> s)
    {
        "\u007FELF"u8.CopyTo(s);
        s[4] = 2; // ELFCLASS64
        s[5] = 1; // little-endian
        s[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(s[16..], 3); // ET_DYN
        BinaryPrimitives.WriteUInt16LittleEndian(s[18..], 62); // EM_X86_64
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(s[32..], HeaderSize); // e_phoff
        BinaryPrimitives.WriteUInt16LittleEndian(s[52..], HeaderSize); // e_ehsize
        BinaryPrimitives.WriteUInt16LittleEndian(s[54..], ProgramHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(s[56..], ProgramHeaderCount);
        BinaryPrimitives.WriteUInt16LittleEndian(s[58..], 64); // e_shentsize (no sections)
    }

    private static void WriteProgramHeader(Span<byte> s, uint type, uint flags, ulong offset, ulong size, ulong align)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(s, type);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], flags);
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], offset);
        BinaryPrimitives.WriteUInt64LittleEndian(s[16..], offset); // p_vaddr: linked at 0
        BinaryPrimitives.WriteUInt64LittleEndian(s[24..], offset); // p_paddr
        BinaryPrimitives.WriteUInt64LittleEndian(s[32..], size);
        BinaryPrimitives.WriteUInt64LittleEndian(s[40..], size);
        BinaryPrimitives.WriteUInt64LittleEndian(s[48..], align);
    }

    /// <summary>
    /// Maps the vvar page and the image into <paramref name="memory"/> where the next mmap would go (below
    /// the interpreter, as Linux's arch_setup_additional_pages does after loading it) and returns the
    /// image's address, AT_SYSINFO_EHDR.
    /// </summary>
    /// <exception cref="Elf.ElfFormatException">No room is left below the stack.</exception>
    public static ulong MapInto(ProcessMemory memory)
    {
        ulong vvar = memory.FindFree(MappedBytes, 0) ?? throw new Elf.ElfFormatException("no room below the stack for the vDSO");
        memory.Map(vvar, ProcessMemory.PageSize, Protection.Read);
        memory.Space.Write(vvar, VvarLayout.Page());
        memory.Map(vvar + ProcessMemory.PageSize, Size, Protection.Read | Protection.Execute);
        memory.Space.Write(vvar + ProcessMemory.PageSize, Bytes);
        return vvar + ProcessMemory.PageSize;
    }
}
