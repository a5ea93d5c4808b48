using System.Buffers.Binary;
using Iced.Intel;
using KmlSim.Kernel.Elf;

namespace KmlSim.Tests.Kernel.Elf;

/// <summary>Writes small ELF64 x86-64 files for loader tests, laid out as ld does (file offset congruent to the address).</summary>
internal sealed class ElfImageBuilder
{
    /// <summary>Where <see cref="Program"/> puts code.</summary>
    public const ulong CodeAddress = 0x401000;

    /// <summary>Where <see cref="Program"/> puts its 4 KiB read-write data page.</summary>
    public const ulong DataAddress = 0x600000;

    private readonly List<(uint Type, uint Flags, ulong Address, byte[] Data, ulong MemorySize)> segments = new();

    /// <summary>e_type.</summary>
    public ushort Type { get; set; } = ElfFile.TypeExecutable;

    /// <summary>e_machine.</summary>
    public ushort Machine { get; set; } = 62;

    /// <summary>e_entry.</summary>
    public ulong Entry { get; set; } = CodeAddress;

    /// <summary>Adds a program header whose bytes follow in the file.</summary>
    public ElfImageBuilder Segment(uint type, uint flags, ulong address, byte[] data, ulong memorySize)
    {
        segments.Add((type, flags, address, data, memorySize));
        return this;
    }

    /// <summary>
    /// Runs the program <paramref name="build"/> assembles (see <see cref="Program"/>) from a temporary file on a
    /// machine built with <paramref name="options"/>, for at most <paramref name="instructions"/>; the file is deleted after.
    /// </summary>
    public static RunResult RunProgram(Action<Assembler> build, MachineOptions options, long instructions = 1_000_000)
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Program(build));
            var machine = new Machine(options);
            machine.Start(path);
            return machine.Run(RunLimits.Instructions(instructions));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>An executable whose code is assembled by <paramref name="build"/> at <see cref="CodeAddress"/>, plus a data page.</summary>
    public static byte[] Program(Action<Assembler> build)
    {
        var assembler = new Assembler(64);
        build(assembler);
        var writer = new BytesWriter();
        assembler.Assemble(writer, CodeAddress);
        return new ElfImageBuilder()
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Execute, CodeAddress, writer.Bytes.ToArray(), (ulong)writer.Bytes.Count)
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Write, DataAddress, [], 4096)
            .Segment(ElfSegment.GnuStack, ElfSegment.Read | ElfSegment.Write, 0, [], 0)
            .Build();
    }

    /// <summary>The file.</summary>
    public byte[] Build()
    {
        int headerEnd = 64 + (56 * segments.Count);
        var offsets = new List<ulong>();
        ulong cursor = (ulong)headerEnd;
        foreach (var s in segments)
        {
            ulong offset = ((cursor + 0xFFF) & ~0xFFFUL) + (s.Address & 0xFFF);
            offsets.Add(offset);
            cursor = offset + (ulong)s.Data.Length;
        }

        var file = new byte[cursor];
        "\u007fELF"u8.CopyTo(file);
        file[4] = 2; // ELFCLASS64
        file[5] = 1; // little-endian
        file[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(16), Type);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(18), Machine);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(24), Entry);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(32), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(52), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(54), 56);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(56), (ushort)segments.Count);
        for (int i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            Span<byte> ph = file.AsSpan(64 + (56 * i), 56);
            BinaryPrimitives.WriteUInt32LittleEndian(ph, s.Type);
            BinaryPrimitives.WriteUInt32LittleEndian(ph[4..], s.Flags);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[8..], offsets[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[16..], s.Address);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[24..], s.Address);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[32..], (ulong)s.Data.Length);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[40..], s.MemorySize);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[48..], 0x1000);
            s.Data.CopyTo(file.AsSpan((int)offsets[i]));
        }

        return file;
    }

    private sealed class BytesWriter : CodeWriter
    {
        public List<byte> Bytes { get; } = new();

        public override void WriteByte(byte value) => Bytes.Add(value);
    }
}
