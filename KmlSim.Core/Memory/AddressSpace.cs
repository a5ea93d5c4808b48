namespace KmlSim.Memory;

/// <summary>
/// A set of AMD64 4-level page tables in simulated physical memory, built and edited from the host (the
/// loader and the kernel's memory system calls). The CPU walks them through <see cref="Mmu"/>. Editing a
/// mapping does not flush any TLB: the caller does, as a kernel would.
/// </summary>
public sealed class AddressSpace
{
    private const ulong TableFlags = PageTableEntry.Present | PageTableEntry.Writable | PageTableEntry.User;
    private readonly PhysicalMemory memory;

    /// <summary>Creates an empty address space (one zeroed PML4 frame).</summary>
    public AddressSpace(PhysicalMemory memory)
    {
        this.memory = memory;
        RootFrame = memory.AllocateFrame();
    }

    /// <summary>Frame of the PML4 table.</summary>
    public ulong RootFrame { get; }

    /// <summary>The value to load into CR3.</summary>
    public ulong Cr3 => RootFrame << 12;

    /// <summary>Maps a 4 KiB page to a frame, replacing any previous mapping.</summary>
    public void Map(ulong linear, ulong pfn, PageFlags flags)
    {
        ulong entryAddress = LeafEntryAddress(linear, create: true)!.Value;
        memory.WritePhys64(entryAddress, (pfn << 12) | PageTableEntry.Present | ToEntryBits(flags));
    }

    /// <summary>
    /// Maps a 2 MiB page (PS in the page-directory entry) to 512 contiguous frames starting at
    /// <paramref name="firstPfn"/>; both must be 2 MiB aligned. The page directory slot must be empty.
    /// </summary>
    public void MapLarge(ulong linear, ulong firstPfn, PageFlags flags)
    {
        if ((linear & 0x1F_FFFF) != 0 || (firstPfn & 511) != 0)
        {
            throw new ArgumentException("a 2 MiB page needs 2 MiB aligned linear and physical addresses");
        }

        ulong entryAddress = EntryAddress(linear, stopLevel: 1, create: true)!.Value;
        memory.WritePhys64(entryAddress, (firstPfn << 12) | PageTableEntry.Present | PageTableEntry.LargePage | ToEntryBits(flags));
    }

    /// <summary>Allocates a zeroed frame and maps it; returns the frame number.</summary>
    public ulong MapNew(ulong linear, PageFlags flags)
    {
        ulong pfn = memory.AllocateFrame();
        Map(linear, pfn, flags);
        return pfn;
    }

    /// <summary>Removes a mapping; returns the frame it mapped, if any.</summary>
    public ulong? Unmap(ulong linear)
    {
        ulong? entryAddress = LeafEntryAddress(linear, create: false);
        if (entryAddress is not { } at)
        {
            return null;
        }

        ulong entry = memory.ReadPhys64(at);
        if ((entry & PageTableEntry.Present) == 0)
        {
            return null;
        }

        memory.WritePhys64(at, 0);
        return (entry & PageTableEntry.AddressMask) >> 12;
    }

    /// <summary>Changes the permissions of a mapped page; false when it is not mapped.</summary>
    public bool Protect(ulong linear, PageFlags flags)
    {
        ulong? entryAddress = LeafEntryAddress(linear, create: false);
        if (entryAddress is not { } at || (memory.ReadPhys64(at) & PageTableEntry.Present) == 0)
        {
            return false;
        }

        ulong entry = memory.ReadPhys64(at);
        memory.WritePhys64(at, (entry & PageTableEntry.AddressMask) | PageTableEntry.Present | ToEntryBits(flags));
        return true;
    }

    /// <summary>The frame a page maps to, or null.</summary>
    public ulong? FrameOf(ulong linear)
    {
        ulong? entryAddress = LeafEntryAddress(linear, create: false);
        if (entryAddress is not { } at)
        {
            return null;
        }

        ulong entry = memory.ReadPhys64(at);
        return (entry & PageTableEntry.Present) != 0 ? (entry & PageTableEntry.AddressMask) >> 12 : null;
    }

    /// <summary>True when a page is mapped writable.</summary>
    public bool IsWritable(ulong linear)
    {
        ulong? entryAddress = LeafEntryAddress(linear, create: false);
        const ulong presentAndWritable = PageTableEntry.Present | PageTableEntry.Writable;
        return entryAddress is { } at && (memory.ReadPhys64(at) & presentAndWritable) == presentAndWritable;
    }

    /// <summary>
    /// Frees the page-table frames of the lower (user) half and the PML4 itself, once the address space is
    /// dead: its pages must already be unmapped (their frames belong to whoever mapped them), and CR3 must
    /// no longer point here. The upper-half entries name the kernel's shared tables, which stay.
    /// </summary>
    public void ReleaseTables()
    {
        ReleaseTable(RootFrame, level: 3, entries: 256);
        memory.FreeFrame(RootFrame);
    }

    /// <summary>
    /// Frees the page tables below the PML4 that map nothing any more within <c>[start, end)</c> of the user
    /// half, and clears the entries that named them, as Linux's free_pgtables does after munmap: without it,
    /// mmap/munmap at ever new addresses would use up memory in empty tables. The caller flushes the TLB.
    /// </summary>
    public void ReleaseEmptyTables(ulong start, ulong end)
    {
        const ulong userHalfEnd = 1UL << 47; // (the upper half's entries name the kernel's shared tables)
        end = Math.Min(end, userHalfEnd);
        if (end > start)
        {
            ReleaseEmpty(RootFrame, level: 3, start, end - 1, tableBase: 0);
        }
    }

    /// <summary>Releases the empty child tables of <paramref name="frame"/> (a table of <paramref name="level"/>) whose span meets [first, last].</summary>
    private void ReleaseEmpty(ulong frame, int level, ulong first, ulong last, ulong tableBase)
    {
        int shift = 12 + (9 * level);
        int from = (int)(((Math.Max(first, tableBase) - tableBase) >> shift) & 511);
        int to = (int)(((Math.Min(last, tableBase + (1UL << (shift + 9)) - 1) - tableBase) >> shift) & 511);
        for (int i = from; i <= to; i++)
        {
            ulong at = (frame << 12) + ((ulong)i * 8);
            ulong entry = memory.ReadPhys64(at);
            if ((entry & PageTableEntry.Present) == 0 || (level == 1 && (entry & PageTableEntry.LargePage) != 0))
            {
                continue;
            }

            ulong child = (entry & PageTableEntry.AddressMask) >> 12;
            if (level > 1)
            {
                ReleaseEmpty(child, level - 1, first, last, tableBase + ((ulong)i << shift));
            }

            if (IsEmptyTable(child))
            {
                memory.WritePhys64(at, 0);
                memory.FreeFrame(child);
            }
        }
    }

    private bool IsEmptyTable(ulong frame)
    {
        byte[] table = memory.Frame(frame);
        return table.AsSpan().IndexOfAnyExcept((byte)0) < 0;
    }

    private void ReleaseTable(ulong frame, int level, int entries)
    {
        for (int i = 0; i < entries; i++)
        {
            ulong entry = memory.ReadPhys64((frame << 12) + ((ulong)i * 8));
            if ((entry & PageTableEntry.Present) == 0 || (level == 1 && (entry & PageTableEntry.LargePage) != 0))
            {
                continue;
            }

            ulong table = (entry & PageTableEntry.AddressMask) >> 12;
            if (level > 1)
            {
                ReleaseTable(table, level - 1, 512);
            }

            memory.FreeFrame(table);
        }
    }

    /// <summary>Copies bytes into mapped pages, ignoring page permissions (as a loader or a kernel does).</summary>
    /// <exception cref="ArgumentException">Part of the range is not mapped.</exception>
    public void Write(ulong linear, ReadOnlySpan<byte> bytes)
    {
        int done = 0;
        while (done < bytes.Length)
        {
            ulong at = linear + (ulong)done;
            int chunk = Math.Min(bytes.Length - done, PhysicalMemory.FrameSize - (int)(at & 0xFFF));
            ulong pfn = FrameOf(at) ?? throw new ArgumentException($"0x{at:x} is not mapped", nameof(linear));
            memory.NoteWrite(pfn);
            bytes.Slice(done, chunk).CopyTo(memory.Frame(pfn).AsSpan((int)(at & 0xFFF)));
            done += chunk;
        }
    }

    /// <summary>Copies bytes out of mapped pages, ignoring page permissions.</summary>
    /// <exception cref="ArgumentException">Part of the range is not mapped.</exception>
    public void Read(ulong linear, Span<byte> bytes)
    {
        int done = 0;
        while (done < bytes.Length)
        {
            ulong at = linear + (ulong)done;
            int chunk = Math.Min(bytes.Length - done, PhysicalMemory.FrameSize - (int)(at & 0xFFF));
            ulong pfn = FrameOf(at) ?? throw new ArgumentException($"0x{at:x} is not mapped", nameof(linear));
            memory.Frame(pfn).AsSpan((int)(at & 0xFFF), chunk).CopyTo(bytes[done..]);
            done += chunk;
        }
    }

    /// <summary>Shares the upper-half (kernel) PML4 entries of another address space.</summary>
    public void ShareKernelHalf(AddressSpace kernel)
    {
        for (ulong i = 256; i < 512; i++)
        {
            memory.WritePhys64(Cr3 + (i * 8), memory.ReadPhys64(kernel.Cr3 + (i * 8)));
        }
    }

    private static ulong ToEntryBits(PageFlags flags) =>
        ((flags & PageFlags.Writable) != 0 ? PageTableEntry.Writable : 0)
        | ((flags & PageFlags.User) != 0 ? PageTableEntry.User : 0)
        | ((flags & PageFlags.NoExecute) != 0 ? PageTableEntry.NoExecute : 0)
        | ((flags & PageFlags.Global) != 0 ? PageTableEntry.Global : 0);

    private ulong? LeafEntryAddress(ulong linear, bool create) => EntryAddress(linear, stopLevel: 0, create);

    /// <summary>The physical address of the entry at <paramref name="stopLevel"/> (0 = PT, 1 = PD) for a linear address.</summary>
    private ulong? EntryAddress(ulong linear, int stopLevel, bool create)
    {
        ulong table = Cr3;
        for (int level = 3; level > stopLevel; level--)
        {
            ulong at = table + (((linear >> (12 + (9 * level))) & 511) * 8);
            ulong entry = memory.ReadPhys64(at);
            if ((entry & PageTableEntry.Present) == 0)
            {
                if (!create)
                {
                    return null;
                }

                entry = (memory.AllocateFrame() << 12) | TableFlags;
                memory.WritePhys64(at, entry);
            }

            table = entry & PageTableEntry.AddressMask;
        }

        return table + (((linear >> (12 + (9 * stopLevel))) & 511) * 8);
    }
}
