using KmlSim.Execution;
using KmlSim.Memory;

namespace KmlSim.Kernel.Process;

/// <summary>
/// The address space of one process as its kernel sees it: regions (VMAs) over the page tables, the
/// program break, and the top-down placement of anonymous mappings. Pages of a region are mapped eagerly
/// when it is created (a fresh frame costs nothing on the host until it is touched; fork shares frames
/// copy-on-write), except under
/// PROT_NONE: such pages are not present, and a page that had contents keeps its frame aside until access
/// is restored, because mprotect must not lose data. Every change flushes the software TLB, as the
/// kernel's TLB shootdown would.
/// </summary>
internal sealed class ProcessMemory
{
    /// <summary>Bytes in a page.</summary>
    public const ulong PageSize = 4096;

    /// <summary>First address above the initial stack (Linux: the top of user space less one page).</summary>
    public const ulong StackTop = TaskSize;

    /// <summary>
    /// The end of the user address space (Linux x86-64's TASK_SIZE: 2^47 less one page): an ELF entry point
    /// at or above it is refused, and a page fault at or above it is reported as a protection fault.
    /// </summary>
    public const ulong TaskSize = 0x7FFF_FFFF_F000;

    /// <summary>The stack's size: Linux's default RLIMIT_STACK, 8 MiB, mapped up front.</summary>
    public const ulong StackSize = 8UL << 20;

    /// <summary>Anonymous mappings are placed top-down from here (Linux: below a 128 MiB stack gap).</summary>
    public const ulong MmapTop = StackTop - (128UL << 20);

    private readonly List<MemoryRegion> regions = new();
    private readonly Dictionary<ulong, ulong> framesAside = new();
    private readonly PhysicalMemory memory;
    private readonly Mmu mmu;
    private ulong breakBase;

    /// <summary>Manages <paramref name="space"/>, the address space <paramref name="cpu"/> runs in.</summary>
    public ProcessMemory(Cpu cpu, AddressSpace space)
    {
        memory = cpu.Memory;
        mmu = cpu.Mmu;
        Space = space;
    }

    /// <summary>
    /// fork: a copy of this address space in <paramref name="childSpace"/> with the same regions and break,
    /// sharing every frame copy-on-write (as Linux's copy_page_range does): both sides map a shared frame
    /// read-only, and the first write to it (a #PF on a present page, or a kernel copy to user memory) gets
    /// a private copy from <see cref="TryResolveWriteFault"/>. Frames of PROT_NONE pages are shared the same way.
    /// </summary>
    /// <exception cref="GuestMemoryExhaustedException">The child's page tables did not fit; the child's mappings are released (its tables are not: the caller releases the space).</exception>
    public ProcessMemory Fork(Cpu cpu, AddressSpace childSpace)
    {
        var child = new ProcessMemory(cpu, childSpace) { breakBase = breakBase, Break = Break };
        child.regions.AddRange(regions);
        try
        {
            foreach (MemoryRegion region in regions)
            {
                PageFlags flags = ToPageFlags(region.Protection) & ~PageFlags.Writable;
                for (ulong page = region.Start; page < region.End; page += PageSize)
                {
                    if (Space.FrameOf(page) is { } pfn)
                    {
                        Space.Protect(page, flags);
                        child.Space.Map(page, pfn, flags); // (may need a table frame, so it may throw before the reference is taken)
                        memory.ShareFrame(pfn);
                    }
                    else if (framesAside.TryGetValue(page, out ulong aside))
                    {
                        memory.ShareFrame(aside);
                        child.framesAside[page] = aside;
                    }
                }
            }
        }
        catch (GuestMemoryExhaustedException)
        {
            child.Release();
            throw;
        }
        finally
        {
            mmu.FlushAll(); // the parent's writable pages became read-only
        }

        return child;
    }

    /// <summary>
    /// Resolves a write fault on a present, read-only page of a writable region: the copy-on-write half of
    /// Linux's do_wp_page. A frame still shared gets a private copy mapped writable in its place (the
    /// reference to the shared one is dropped); a frame this space alone holds now is simply made writable.
    /// The page's TLB entry is invalidated, as flush_tlb_page does.
    /// </summary>
    /// <param name="address">The written address.</param>
    /// <param name="copied">True when the page got a private copy, false when it was only made writable.</param>
    /// <returns>False when the fault is not a copy-on-write fault (the access is really not allowed).</returns>
    /// <exception cref="GuestMemoryExhaustedException">No frame is left for the copy.</exception>
    public bool TryResolveWriteFault(ulong address, out bool copied)
    {
        copied = false;
        ulong page = PageDown(address);
        if (RegionCovering(page, page + PageSize) is not { } region || (region.Protection & Protection.Write) == 0
            || Space.FrameOf(page) is not { } pfn || Space.IsWritable(page))
        {
            return false;
        }

        PageFlags flags = ToPageFlags(region.Protection);
        if (memory.IsShared(pfn))
        {
            ulong copy = memory.AllocateFrame();
            memory.Frame(pfn).CopyTo(memory.Frame(copy), 0);
            Space.Map(page, copy, flags);
            memory.FreeFrame(pfn);
            copied = true;
        }
        else
        {
            Space.Protect(page, flags);
        }

        mmu.FlushPage(page);
        return true;
    }

    /// <summary>
    /// Unmaps everything (exit, or the old image at execve): every frame reference is dropped, so frames no
    /// other process shares return to the free list. The page tables stay until <see cref="AddressSpace.ReleaseTables"/>.
    /// </summary>
    public void Release()
    {
        foreach (MemoryRegion region in regions)
        {
            ReleasePages(region.Start, region.End);
        }

        foreach (ulong aside in framesAside.Values)
        {
            memory.FreeFrame(aside);
        }

        regions.Clear();
        framesAside.Clear();
        mmu.FlushAll();
    }

    /// <summary>The page tables.</summary>
    public AddressSpace Space { get; }

    /// <summary>The current program break (what brk returns).</summary>
    public ulong Break { get; private set; }

    /// <summary>Rounds up to a page boundary (callers keep <paramref name="value"/> below 2^63).</summary>
    public static ulong PageUp(ulong value) => (value + PageSize - 1) & ~(PageSize - 1);

    /// <summary>Rounds down to a page boundary.</summary>
    public static ulong PageDown(ulong value) => value & ~(PageSize - 1);

    /// <summary>Sets where the heap starts (the page-aligned end of the loaded image).</summary>
    public void SetBreakBase(ulong address)
    {
        breakBase = PageUp(address);
        Break = breakBase;
    }

    /// <summary>
    /// Creates a region over <c>[start, start + length)</c> (page-aligned), replacing whatever was mapped
    /// there, with zeroed pages.
    /// </summary>
    /// <exception cref="GuestMemoryExhaustedException">Physical memory ran out; the range is left unmapped.</exception>
    public void Map(ulong start, ulong length, Protection protection)
    {
        ulong end = start + length;
        Unmap(start, end);
        try
        {
            if (protection != Protection.None)
            {
                PageFlags flags = ToPageFlags(protection);
                for (ulong page = start; page < end; page += PageSize)
                {
                    Space.MapNew(page, flags);
                }
            }
        }
        catch (GuestMemoryExhaustedException)
        {
            ReleasePages(start, end);
            mmu.FlushAll();
            throw;
        }

        Insert(new MemoryRegion(start, end, protection));
        mmu.FlushAll();
    }

    /// <summary>Removes every mapping in <c>[start, end)</c> (page-aligned) and frees its frames.</summary>
    public void Unmap(ulong start, ulong end)
    {
        SplitAt(start);
        SplitAt(end);
        for (int i = regions.Count - 1; i >= 0; i--)
        {
            if (regions[i].Start >= start && regions[i].End <= end)
            {
                ReleasePages(regions[i].Start, regions[i].End);
                regions.RemoveAt(i);
            }
        }

        Space.ReleaseEmptyTables(start, end);
        mmu.FlushAll();
    }

    /// <summary>Changes the protection of <c>[start, end)</c>; false (nothing changed) unless all of it is mapped.</summary>
    /// <exception cref="GuestMemoryExhaustedException">Restoring access to never-touched pages needed frames that are not there.</exception>
    public bool Protect(ulong start, ulong end, Protection protection)
    {
        if (!IsFullyMapped(start, end))
        {
            return false;
        }

        SplitAt(start);
        SplitAt(end);
        PageFlags flags = ToPageFlags(protection);
        for (int i = 0; i < regions.Count; i++)
        {
            MemoryRegion r = regions[i];
            if (r.Start < start || r.End > end)
            {
                continue;
            }

            for (ulong page = r.Start; page < r.End; page += PageSize)
            {
                SetPageAccess(page, protection, flags);
            }

            regions[i] = r with { Protection = protection };
        }

        mmu.FlushAll();
        return true;
    }

    /// <summary>The region that alone covers <c>[start, end)</c>, if one does.</summary>
    public MemoryRegion? RegionCovering(ulong start, ulong end)
    {
        foreach (MemoryRegion r in regions)
        {
            if (r.Start <= start && r.End >= end)
            {
                return r;
            }
        }

        return null;
    }

    /// <summary>True when nothing is mapped anywhere in <c>[start, end)</c>.</summary>
    public bool IsFree(ulong start, ulong end)
    {
        foreach (MemoryRegion r in regions)
        {
            if (r.Start < end && r.End > start)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Where a new mapping of <paramref name="length"/> bytes goes: at <paramref name="hint"/> when that range
    /// is free, else the highest free range below <see cref="MmapTop"/> (Linux's top-down layout).
    /// </summary>
    public ulong? FindFree(ulong length, ulong hint)
    {
        ulong wanted = PageDown(hint);
        if (wanted >= Elf.ElfFile.MinimumAddress && length <= MmapTop - Math.Min(wanted, MmapTop) && IsFree(wanted, wanted + length))
        {
            return wanted;
        }

        ulong top = MmapTop;
        for (int i = regions.Count - 1; i >= -1; i--)
        {
            ulong floor = i >= 0 ? regions[i].End : Elf.ElfFile.MinimumAddress;
            if (floor < top && top - floor >= length)
            {
                return top - length;
            }

            if (i >= 0)
            {
                top = Math.Min(top, regions[i].Start);
            }
        }

        return null;
    }

    /// <summary>
    /// Moves the pages of <c>[from, from + length)</c> (all inside one region) to a free range at
    /// <paramref name="to"/>, keeping their contents, and frees the old range.
    /// </summary>
    public void Move(ulong from, ulong length, ulong to)
    {
        MemoryRegion source = RegionCovering(from, from + length) ?? throw new ArgumentException("the range is not inside one region");
        for (ulong offset = 0; offset < length; offset += PageSize)
        {
            if (Space.Unmap(from + offset) is { } pfn)
            {
                Space.Map(to + offset, pfn, FlagsFor(pfn, source.Protection));
            }
            else if (framesAside.Remove(from + offset, out ulong aside))
            {
                framesAside[to + offset] = aside;
            }
        }

        Unmap(from, from + length);
        Insert(new MemoryRegion(to, to + length, source.Protection));
        mmu.FlushAll();
    }

    /// <summary>
    /// brk: moves the program break to <paramref name="requested"/> when the pages in between can be
    /// mapped or released; returns the break in effect afterwards (unchanged on failure, as Linux does).
    /// </summary>
    public ulong SetBreak(ulong requested)
    {
        if (requested < breakBase || requested > MmapTop)
        {
            return Break;
        }

        ulong oldTop = PageUp(Break), newTop = PageUp(requested);
        if (newTop > oldTop)
        {
            if (!IsFree(oldTop, newTop))
            {
                return Break;
            }

            try
            {
                Map(oldTop, newTop - oldTop, Protection.Read | Protection.Write);
            }
            catch (GuestMemoryExhaustedException)
            {
                return Break;
            }
        }
        else if (newTop < oldTop)
        {
            Unmap(newTop, oldTop);
        }

        Break = requested;
        return Break;
    }

    /// <summary>x86 page flags for a protection: user pages, NX unless executable (write implies read).</summary>
    public static PageFlags ToPageFlags(Protection protection) =>
        PageFlags.User
        | ((protection & Protection.Write) != 0 ? PageFlags.Writable : 0)
        | ((protection & Protection.Execute) == 0 ? PageFlags.NoExecute : 0);

    /// <summary>The page flags of a frame under a protection: a frame shared copy-on-write stays read-only until written.</summary>
    private PageFlags FlagsFor(ulong pfn, Protection protection) =>
        memory.IsShared(pfn) ? ToPageFlags(protection) & ~PageFlags.Writable : ToPageFlags(protection);

    private void SetPageAccess(ulong page, Protection protection, PageFlags flags)
    {
        bool present = Space.FrameOf(page) is not null;
        if (protection == Protection.None)
        {
            if (present)
            {
                framesAside[page] = Space.Unmap(page)!.Value;
            }
        }
        else if (present)
        {
            Space.Protect(page, FlagsFor(Space.FrameOf(page)!.Value, protection));
        }
        else if (framesAside.Remove(page, out ulong pfn))
        {
            Space.Map(page, pfn, FlagsFor(pfn, protection));
        }
        else
        {
            Space.MapNew(page, flags);
        }
    }

    private bool IsFullyMapped(ulong start, ulong end)
    {
        ulong covered = start;
        foreach (MemoryRegion r in regions)
        {
            if (r.End <= covered || r.Start >= end)
            {
                continue;
            }

            if (r.Start > covered)
            {
                return false;
            }

            covered = r.End;
            if (covered >= end)
            {
                return true;
            }
        }

        return covered >= end;
    }

    private void ReleasePages(ulong start, ulong end)
    {
        for (ulong page = start; page < end; page += PageSize)
        {
            if (Space.Unmap(page) is { } pfn)
            {
                memory.FreeFrame(pfn);
            }
            else if (framesAside.Remove(page, out ulong aside))
            {
                memory.FreeFrame(aside);
            }
        }
    }

    /// <summary>Splits the region that strictly contains <paramref name="address"/> into two.</summary>
    private void SplitAt(ulong address)
    {
        for (int i = 0; i < regions.Count; i++)
        {
            MemoryRegion r = regions[i];
            if (r.Start < address && address < r.End)
            {
                regions[i] = r with { End = address };
                regions.Insert(i + 1, r with { Start = address });
                return;
            }
        }
    }

    /// <summary>Inserts a region into free space, merging it with a neighbour of the same protection.</summary>
    private void Insert(MemoryRegion region)
    {
        int i = 0;
        while (i < regions.Count && regions[i].Start < region.Start)
        {
            i++;
        }

        if (i > 0 && regions[i - 1].End == region.Start && regions[i - 1].Protection == region.Protection)
        {
            region = region with { Start = regions[i - 1].Start };
            regions.RemoveAt(--i);
        }

        if (i < regions.Count && regions[i].Start == region.End && regions[i].Protection == region.Protection)
        {
            region = region with { End = regions[i].End };
            regions.RemoveAt(i);
        }

        regions.Insert(i, region);
    }
}
