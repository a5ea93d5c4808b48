using KmlSim.Kernel.Process;
using KmlSim.Memory;

namespace KmlSim.Kernel.Elf;

/// <summary>
/// Maps a validated executable, or its program interpreter, into a process's memory as Linux's binfmt_elf
/// does: each PT_LOAD page range gets the union of the permissions of the segments that touch it (NX unless
/// executable), the file bytes are copied in, and the rest (the bss, including the tail of the page after
/// the file bytes) stays zero because every mapped frame starts zeroed. An ET_DYN executable is placed at
/// <see cref="PositionIndependentBase"/>; an interpreter (ld.so) where an mmap of its whole span would go,
/// top-down below the stack, as load_elf_interp does. Nothing is relocated here: glibc's static-PIE start-up
/// code and ld.so relocate themselves. PT_TLS is left to libc.
/// </summary>
internal static class ElfLoader
{
    /// <summary>Load base of ET_DYN executables (PIE, static-PIE): Linux's ELF_ET_DYN_BASE on x86-64 without randomisation.</summary>
    public const ulong PositionIndependentBase = 0x5555_5555_4000;

    /// <summary>
    /// Loads <paramref name="elf"/> into <paramref name="memory"/>, which has <paramref name="availableBytes"/>
    /// of physical memory left for the image (checked first, so that an absurd image is a format error
    /// rather than an exhausted machine). An <paramref name="interpreter"/> of type ET_DYN goes where
    /// mmap would put its span; an executable of that type at <see cref="PositionIndependentBase"/>.
    /// </summary>
    /// <exception cref="ElfFormatException">The segments do not fit this machine's address space or memory.</exception>
    public static LoadedImage Load(ElfFile elf, ProcessMemory memory, ulong availableBytes, bool interpreter = false)
    {
        ulong lowest = ulong.MaxValue, highest = 0;
        foreach (ElfSegment s in elf.Segments)
        {
            if (s.Type == ElfSegment.Load && s.MemorySize > 0)
            {
                lowest = Math.Min(lowest, ProcessMemory.PageDown(s.VirtualAddress));
                highest = Math.Max(highest, s.End);
            }
        }

        if (lowest == ulong.MaxValue)
        {
            throw new ElfFormatException("every loadable segment is empty");
        }

        ulong bias = !elf.IsPositionIndependent ? 0
            : !interpreter ? PositionIndependentBase - lowest
            : memory.FindFree(ProcessMemory.PageUp(highest - lowest), 0) is { } free ? free - lowest
            : throw new ElfFormatException($"no room below the stack for the {(highest - lowest) >> 10} KiB interpreter");
        CheckPlacement(lowest + bias, highest + bias, availableBytes);

        Dictionary<ulong, Protection> pages = PagePermissions(elf, bias);
        ulong framesNeeded = (ulong)pages.Count + ((ulong)pages.Count / 512) + 8; // data pages, page tables
        if (framesNeeded * ProcessMemory.PageSize > availableBytes)
        {
            throw new ElfFormatException($"the image needs {framesNeeded >> 8} MiB, more than the {availableBytes >> 20} MiB of memory the machine has for it");
        }

        // A segment without permission flags is mapped PROT_NONE with its contents, as Linux's elf_map does: it
        // is filled while readable, then made inaccessible (mprotect can give the contents back later).
        var sorted = pages.Keys.ToArray();
        Array.Sort(sorted);
        var inaccessible = new List<(ulong Start, ulong End)>();
        int run = 0;
        for (int i = 1; i <= sorted.Length; i++)
        {
            if (i == sorted.Length || sorted[i] != sorted[i - 1] + ProcessMemory.PageSize || pages[sorted[i]] != pages[sorted[run]])
            {
                ulong end = sorted[i - 1] + ProcessMemory.PageSize;
                Protection protection = pages[sorted[run]];
                memory.Map(sorted[run], end - sorted[run], protection == Protection.None ? Protection.Read : protection);
                if (protection == Protection.None)
                {
                    inaccessible.Add((sorted[run], end));
                }

                run = i;
            }
        }

        foreach (ElfSegment s in elf.Segments)
        {
            if (s.Type == ElfSegment.Load && s.FileSize > 0)
            {
                memory.Space.Write(s.VirtualAddress + bias, elf.Contents.AsSpan((int)s.Offset, (int)s.FileSize));
            }
        }

        foreach ((ulong start, ulong end) in inaccessible)
        {
            memory.Protect(start, end, Protection.None);
        }

        return new LoadedImage(
            Entry: elf.Entry + bias,
            ProgramHeaders: ProgramHeaderAddress(elf) + bias,
            ProgramHeaderCount: elf.Segments.Count,
            End: highest + bias,
            ExecutableStack: ExecutableStack(elf))
        {
            Bias = bias,
            Start = elf.Entry + bias,
        };
    }

    private static void CheckPlacement(ulong low, ulong high, ulong availableBytes)
    {
        if (low < ElfFile.MinimumAddress)
        {
            throw new ElfFormatException($"a segment lies below the lowest mappable address 0x{ElfFile.MinimumAddress:x}");
        }

        if (high > ProcessMemory.MmapTop)
        {
            throw new ElfFormatException($"the image reaches 0x{high:x}, into the stack and mapping area");
        }

        if (high - low > availableBytes)
        {
            throw new ElfFormatException($"the image spans {(high - low) >> 20} MiB, more than the {availableBytes >> 20} MiB of memory the machine has for it");
        }
    }

    private static Dictionary<ulong, Protection> PagePermissions(ElfFile elf, ulong bias)
    {
        var pages = new Dictionary<ulong, Protection>();
        foreach (ElfSegment s in elf.Segments)
        {
            if (s.Type != ElfSegment.Load || s.MemorySize == 0)
            {
                continue;
            }

            Protection protection = ToProtection(s.Flags);
            for (ulong page = ProcessMemory.PageDown(s.VirtualAddress + bias); page < s.End + bias; page += ProcessMemory.PageSize)
            {
                pages[page] = pages.GetValueOrDefault(page) | protection;
            }
        }

        return pages;
    }

    private static Protection ToProtection(uint flags) =>
        ((flags & ElfSegment.Read) != 0 ? Protection.Read : 0)
        | ((flags & ElfSegment.Write) != 0 ? Protection.Write : 0)
        | ((flags & ElfSegment.Execute) != 0 ? Protection.Execute : 0);

    /// <summary>AT_PHDR: PT_PHDR's address, else where the PT_LOAD that holds e_phoff maps it (as Linux computes it).</summary>
    private static ulong ProgramHeaderAddress(ElfFile elf)
    {
        foreach (ElfSegment s in elf.Segments)
        {
            if (s.Type == ElfSegment.ProgramHeaders)
            {
                return s.VirtualAddress;
            }
        }

        foreach (ElfSegment s in elf.Segments)
        {
            if (s.Type == ElfSegment.Load && elf.ProgramHeaderOffset >= s.Offset && elf.ProgramHeaderOffset - s.Offset < s.FileSize)
            {
                return s.VirtualAddress + (elf.ProgramHeaderOffset - s.Offset);
            }
        }

        return 0;
    }

    /// <summary>
    /// The stack is executable only when PT_GNU_STACK asks for it: since Linux 5.8 a 64-bit program without
    /// the header no longer gets READ_IMPLIES_EXEC, so its stack is not executable either.
    /// </summary>
    private static bool ExecutableStack(ElfFile elf)
    {
        foreach (ElfSegment s in elf.Segments)
        {
            if (s.Type == ElfSegment.GnuStack)
            {
                return (s.Flags & ElfSegment.Execute) != 0;
            }
        }

        return false;
    }
}
