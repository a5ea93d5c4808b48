using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KmlSim.Interrupts;

namespace KmlSim.Memory;

/// <summary>
/// Linear-to-physical translation: the AMD64 4-level page walk from CR3 (4 KiB and 2 MiB pages, P, R/W,
/// U/S, NX, accessed and dirty bits) and #PF with the architectural error code; in front of it a
/// direct-mapped software TLB per access kind and privilege so that an ordinary access costs one compare.
/// </summary>
public sealed class Mmu
{
    private const int TlbBits = 10;
    private const int TlbMask = (1 << TlbBits) - 1;
    private const ulong PageMask = ~0xFFFUL;

    private readonly PhysicalMemory memory;

    // [kind * 2 + (user ? 1 : 0)]
    private readonly TlbEntry[][] sets = new TlbEntry[6][];
    private TlbEntry[] readTlb;
    private TlbEntry[] writeTlb;
    private TlbEntry[] fetchTlb;
    private ulong cr3;
    private bool user;
    private bool lastWalkLarge; // the page size the last page walk ended in, for the software TLB entry it fills

    /// <summary>Creates the MMU over physical memory.</summary>
    public Mmu(PhysicalMemory memory)
    {
        this.memory = memory;
        for (int i = 0; i < sets.Length; i++)
        {
            sets[i] = new TlbEntry[1 << TlbBits];
        }

        FlushAll();
        readTlb = sets[0];
        writeTlb = sets[2];
        fetchTlb = sets[4];
    }

    /// <summary>Physical memory behind this MMU.</summary>
    public PhysicalMemory Memory => memory;

    /// <summary>CR3: the physical address of the PML4 table. Writing it flushes the software TLB.</summary>
    public ulong Cr3
    {
        get => cr3;
        set
        {
            cr3 = value;
            FlushAll();
        }
    }

    /// <summary>CR0.WP: supervisor writes honour read-only pages.</summary>
    public bool WriteProtect { get; set; } = true;

    /// <summary>EFER.NXE: the NX bit is honoured (and is no longer a reserved bit).</summary>
    public bool NoExecuteEnabled { get; set; } = true;

    /// <summary>Whether accesses are made at CPL 3 (selects the permission checks).</summary>
    public bool UserMode
    {
        get => user;
        set
        {
            user = value;
            FetchEpoch++;
            int u = value ? 1 : 0;
            readTlb = sets[0 + u];
            writeTlb = sets[2 + u];
            fetchTlb = sets[4 + u];
        }
    }

    /// <summary>
    /// Changes whenever cached fetch translations may have changed (a flush, INVLPG, a privilege switch):
    /// decoded blocks remember their successors only for the epoch in which they were looked up.
    /// </summary>
    internal long FetchEpoch { get; private set; }

    /// <summary>Counts page walks (host statistics; the timing model counts its own).</summary>
    public long Walks { get; private set; }

    /// <summary>Drops every cached translation.</summary>
    public void FlushAll()
    {
        FetchEpoch++;
        foreach (var set in sets)
        {
            for (int i = 0; i < set.Length; i++)
            {
                set[i].Tag = TlbEntry.Invalid;
            }
        }
    }

    /// <summary>Drops cached translations of one page (INVLPG).</summary>
    public void FlushPage(ulong linear)
    {
        FetchEpoch++;
        ulong tag = linear & PageMask;
        int index = (int)(linear >> 12) & TlbMask;
        foreach (var set in sets)
        {
            if (set[index].Tag == tag)
            {
                set[index].Tag = TlbEntry.Invalid;
            }
        }
    }

    /// <summary>Drops write translations to a frame that now holds decoded code, so writes take the slow path.</summary>
    internal void ForgetWritableFrame(ulong pfn)
    {
        for (int s = 2; s < 4; s++)
        {
            var set = sets[s];
            for (int i = 0; i < set.Length; i++)
            {
                if (set[i].Pfn == pfn)
                {
                    set[i].Tag = TlbEntry.Invalid;
                }
            }
        }
    }

    /// <summary>
    /// Walks the page tables for an access and returns the physical address, setting accessed/dirty bits.
    /// </summary>
    /// <exception cref="GuestFaultException">#PF with the error code, or #GP for a non-canonical address.</exception>
    public ulong Translate(ulong linear, AccessKind kind, bool userAccess)
    {
        if (!IsCanonical(linear))
        {
            throw GuestFaultException.NonCanonical(linear);
        }

        Walks++;
        uint error = (kind == AccessKind.Write ? PageFaultErrorCode.Write : 0)
            | (userAccess ? PageFaultErrorCode.User : 0)
            | (kind == AccessKind.Fetch && NoExecuteEnabled ? PageFaultErrorCode.InstructionFetch : 0);
        bool writable = true, userOk = true, executable = true;
        ulong table = cr3 & PageTableEntry.AddressMask;
        for (int level = 3; level >= 0; level--)
        {
            ulong entryAddress = table + (((linear >> (12 + (9 * level))) & 511) * 8);
            ulong entry = memory.ReadPhys64(entryAddress);
            if ((entry & PageTableEntry.Present) == 0)
            {
                throw new GuestFaultException(ExceptionVector.PageFault, error, linear);
            }

            if ((entry & PageTableEntry.AddressMask) >= memory.SizeBytes)
            {
                // A frame beyond installed memory: the machine treats the address bits as reserved, so a
                // corrupt page table is a guest-visible #PF, never a host error.
                throw new GuestFaultException(ExceptionVector.PageFault, error | PageFaultErrorCode.Present | PageFaultErrorCode.Reserved, linear);
            }

            if (!NoExecuteEnabled && (entry & PageTableEntry.NoExecute) != 0)
            {
                throw new GuestFaultException(ExceptionVector.PageFault, error | PageFaultErrorCode.Present | PageFaultErrorCode.Reserved, linear);
            }

            writable &= (entry & PageTableEntry.Writable) != 0;
            userOk &= (entry & PageTableEntry.User) != 0;
            executable &= !NoExecuteEnabled || (entry & PageTableEntry.NoExecute) == 0;
            bool leaf = level == 0 || (level == 1 && (entry & PageTableEntry.LargePage) != 0);
            if (level == 2 && (entry & PageTableEntry.LargePage) != 0)
            {
                // K8 has no 1 GiB pages: PS in a PDPT entry is a reserved bit.
                throw new GuestFaultException(ExceptionVector.PageFault, error | PageFaultErrorCode.Present | PageFaultErrorCode.Reserved, linear);
            }

            if (leaf)
            {
                CheckPermissions(linear, kind, userAccess, writable, userOk, executable, error);
                ulong updated = entry | PageTableEntry.Accessed | (kind == AccessKind.Write ? PageTableEntry.Dirty : 0);
                if (updated != entry)
                {
                    memory.WritePhys64(entryAddress, updated);
                }

                lastWalkLarge = level == 1;
                ulong pageSizeMask = level == 1 ? 0x1F_FFFFUL : 0xFFFUL;
                return ((entry & PageTableEntry.AddressMask) & ~pageSizeMask) | (linear & pageSizeMask);
            }

            if ((entry & PageTableEntry.Accessed) == 0)
            {
                memory.WritePhys64(entryAddress, entry | PageTableEntry.Accessed);
            }

            table = entry & PageTableEntry.AddressMask;
        }

        throw new InvalidOperationException("unreachable: the walk ends at level 0");
    }

    private void CheckPermissions(ulong linear, AccessKind kind, bool userAccess, bool writable, bool userOk, bool executable, uint error)
    {
        bool allowed = (!userAccess || userOk) && kind switch
        {
            AccessKind.Write => writable || (!userAccess && !WriteProtect),
            AccessKind.Fetch => executable,
            _ => true,
        };
        if (!allowed)
        {
            throw new GuestFaultException(ExceptionVector.PageFault, error | PageFaultErrorCode.Present, linear);
        }
    }

    /// <summary>True when bits 63:47 of the address are all equal (48-bit virtual addresses).</summary>
    public static bool IsCanonical(ulong linear) => (ulong)((long)linear >> 47) + 1 <= 1;

    private ref TlbEntry Fill(TlbEntry[] set, ulong linear, AccessKind kind)
    {
        ulong pa = Translate(linear, kind, user);
        ulong pfn = pa >> 12;
        ref TlbEntry e = ref set[(int)(linear >> 12) & TlbMask];
        if (kind == AccessKind.Write)
        {
            memory.NoteWrite(pfn);
        }

        e.Page = memory.Frame(pfn);
        e.Pfn = pfn;
        e.Large = lastWalkLarge;
        e.Tag = linear & PageMask;
        return ref e;
    }

    /// <summary>
    /// True when <paramref name="linear"/> was last translated through a 2 MiB page, as far as the software
    /// TLB still knows it (an access just made is always there); false for 4 KiB pages and unknown addresses.
    /// The timing model uses it to pick the K8's 2 MB or 4 KB TLB entries.
    /// </summary>
    public bool InLargePage(ulong linear)
    {
        int index = (int)(linear >> 12) & TlbMask;
        ulong tag = linear & PageMask;
        return (readTlb[index].Tag == tag && readTlb[index].Large)
            || (writeTlb[index].Tag == tag && writeTlb[index].Large)
            || (fetchTlb[index].Tag == tag && fetchTlb[index].Large);
    }

    /// <summary>Host array and offset for a fetch at a linear address (checks execute permission).</summary>
    internal byte[] FetchPage(ulong linear, out ulong pfn)
    {
        ref TlbEntry e = ref fetchTlb[(int)(linear >> 12) & TlbMask];
        if (e.Tag != (linear & PageMask))
        {
            e = ref Fill(fetchTlb, linear, AccessKind.Fetch);
        }

        pfn = e.Pfn;
        return e.Page;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref byte At(byte[] page, ulong linear) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page), (nint)(linear & 0xFFF));

    private ref byte ReadRef(ulong linear)
    {
        ref TlbEntry e = ref readTlb[(int)(linear >> 12) & TlbMask];
        if (e.Tag != (linear & PageMask))
        {
            e = ref Fill(readTlb, linear, AccessKind.Read);
        }

        return ref At(e.Page, linear);
    }

    private ref byte WriteRef(ulong linear)
    {
        ref TlbEntry e = ref writeTlb[(int)(linear >> 12) & TlbMask];
        if (e.Tag != (linear & PageMask))
        {
            e = ref Fill(writeTlb, linear, AccessKind.Write);
            if (memory.IsCode(e.Pfn))
            {
                e.Tag = TlbEntry.Invalid;
            }
        }
        else if (memory.IsCode(e.Pfn))
        {
            memory.NoteWrite(e.Pfn);
        }

        return ref At(e.Page, linear);
    }

    /// <summary>Reads a byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte Read8(ulong linear)
    {
        ref TlbEntry e = ref readTlb[(int)(linear >> 12) & TlbMask];
        return e.Tag == (linear & PageMask) ? At(e.Page, linear) : ReadRef(linear);
    }

    /// <summary>Reads a little-endian 16-bit value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort Read16(ulong linear)
    {
        ref TlbEntry e = ref readTlb[(int)(linear >> 12) & TlbMask];
        if (e.Tag == (linear & PageMask) && (linear & 0xFFF) <= 0xFFE)
        {
            return Unsafe.ReadUnaligned<ushort>(ref At(e.Page, linear));
        }

        return (ushort)ReadSlow(linear, 2);
    }

    /// <summary>Reads a little-endian 32-bit value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Read32(ulong linear)
    {
        ref TlbEntry e = ref readTlb[(int)(linear >> 12) & TlbMask];
        if (e.Tag == (linear & PageMask) && (linear & 0xFFF) <= 0xFFC)
        {
            return Unsafe.ReadUnaligned<uint>(ref At(e.Page, linear));
        }

        return (uint)ReadSlow(linear, 4);
    }

    /// <summary>Reads a little-endian 64-bit value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Read64(ulong linear)
    {
        ref TlbEntry e = ref readTlb[(int)(linear >> 12) & TlbMask];
        if (e.Tag == (linear & PageMask) && (linear & 0xFFF) <= 0xFF8)
        {
            return Unsafe.ReadUnaligned<ulong>(ref At(e.Page, linear));
        }

        return ReadSlow(linear, 8);
    }

    /// <summary>Writes a byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write8(ulong linear, byte value)
    {
        ref TlbEntry e = ref writeTlb[(int)(linear >> 12) & TlbMask];
        if (e.Tag == (linear & PageMask))
        {
            At(e.Page, linear) = value;
            return;
        }

        WriteRef(linear) = value;
    }

    /// <summary>Writes a little-endian 16-bit value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write16(ulong linear, ushort value)
    {
        ref TlbEntry e = ref writeTlb[(int)(linear >> 12) & TlbMask];
        if (e.Tag == (linear & PageMask) && (linear & 0xFFF) <= 0xFFE)
        {
            Unsafe.WriteUnaligned(ref At(e.Page, linear), value);
            return;
        }

        WriteSlow(linear, value, 2);
    }

    /// <summary>Writes a little-endian 32-bit value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write32(ulong linear, uint value)
    {
        ref TlbEntry e = ref writeTlb[(int)(linear >> 12) & TlbMask];
        if (e.Tag == (linear & PageMask) && (linear & 0xFFF) <= 0xFFC)
        {
            Unsafe.WriteUnaligned(ref At(e.Page, linear), value);
            return;
        }

        WriteSlow(linear, value, 4);
    }

    /// <summary>Writes a little-endian 64-bit value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write64(ulong linear, ulong value)
    {
        ref TlbEntry e = ref writeTlb[(int)(linear >> 12) & TlbMask];
        if (e.Tag == (linear & PageMask) && (linear & 0xFFF) <= 0xFF8)
        {
            Unsafe.WriteUnaligned(ref At(e.Page, linear), value);
            return;
        }

        WriteSlow(linear, value, 8);
    }

    /// <summary>Reads a value of 1, 2, 4 or 8 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Read(ulong linear, int size) => size switch
    {
        1 => Read8(linear),
        2 => Read16(linear),
        4 => Read32(linear),
        _ => Read64(linear),
    };

    /// <summary>Writes a value of 1, 2, 4 or 8 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(ulong linear, ulong value, int size)
    {
        switch (size)
        {
            case 1: Write8(linear, (byte)value); break;
            case 2: Write16(linear, (ushort)value); break;
            case 4: Write32(linear, (uint)value); break;
            default: Write64(linear, value); break;
        }
    }

    private ulong ReadSlow(ulong linear, int size)
    {
        ulong value = 0;
        for (int i = 0; i < size; i++)
        {
            value |= (ulong)ReadRef(linear + (ulong)i) << (8 * i);
        }

        return value;
    }

    private void WriteSlow(ulong linear, ulong value, int size)
    {
        // Probe both pages first so that a fault on the second leaves memory untouched; CR2 then names
        // the first byte of the second page.
        WriteRef(linear);
        WriteRef((linear + (ulong)size - 1) & PageMask);
        for (int i = 0; i < size; i++)
        {
            WriteRef(linear + (ulong)i) = (byte)(value >> (8 * i));
        }
    }

    /// <summary>
    /// Reads for a system access made with a fixed privilege whatever the CPL: descriptor-table, TSS and
    /// interrupt-frame accesses (supervisor), or SGDT-style stores checked at the CPL. It walks the page
    /// tables directly and leaves the software TLB alone, so the per-instruction paths stay as they are.
    /// </summary>
    /// <exception cref="GuestFaultException">#PF (U/S from <paramref name="userAccess"/>) or #GP for a non-canonical address.</exception>
    public ulong ReadAs(ulong linear, int size, bool userAccess)
    {
        ulong value = 0;
        ulong pa = 0;
        for (int i = 0; i < size; i++)
        {
            ulong at = linear + (ulong)i;
            pa = i == 0 || (at & 0xFFF) == 0 ? Translate(at, AccessKind.Read, userAccess) : pa + 1;
            value |= (ulong)memory.Frame(pa >> 12)[pa & 0xFFF] << (8 * i);
        }

        return value;
    }

    /// <summary>
    /// Writes for a system access with a fixed privilege (see <see cref="ReadAs"/>), all or nothing: every
    /// page is checked before the first byte is stored, so a fault leaves memory untouched. Pages are
    /// checked from the highest down, each at the highest 8-byte slot it receives: the order of the pushes
    /// of an interrupt frame, so CR2 names the slot the processor would have faulted on first.
    /// </summary>
    /// <exception cref="GuestFaultException">#PF or #GP, raised before anything is written.</exception>
    public void WriteAs(ulong linear, ReadOnlySpan<byte> bytes, bool userAccess)
    {
        ulong end = linear + (ulong)bytes.Length;
        for (ulong page = (end - 1) & PageMask; ; page -= 4096)
        {
            ulong firstStore = Math.Min(page + 4096, end) - Math.Min(8UL, (ulong)bytes.Length);
            Translate(Math.Max(Math.Max(page, linear), firstStore), AccessKind.Write, userAccess);
            if (page <= linear)
            {
                break;
            }
        }

        ulong pa = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            ulong at = linear + (ulong)i;
            if (i == 0 || (at & 0xFFF) == 0)
            {
                pa = Translate(at, AccessKind.Write, userAccess);
                memory.NoteWrite(pa >> 12);
            }
            else
            {
                pa++;
            }

            memory.Frame(pa >> 12)[pa & 0xFFF] = bytes[i];
        }
    }

    /// <summary>Copies guest memory into a host span (as the current privilege).</summary>
    public void ReadBytes(ulong linear, Span<byte> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            ulong at = linear + (ulong)done;
            int chunk = Math.Min(destination.Length - done, 4096 - (int)(at & 0xFFF));
            ReadRef(at);
            ref TlbEntry e = ref readTlb[(int)(at >> 12) & TlbMask];
            e.Page.AsSpan((int)(at & 0xFFF), chunk).CopyTo(destination[done..]);
            done += chunk;
        }
    }

    /// <summary>Copies a host span into guest memory (as the current privilege).</summary>
    public void WriteBytes(ulong linear, ReadOnlySpan<byte> source)
    {
        int done = 0;
        while (done < source.Length)
        {
            ulong at = linear + (ulong)done;
            int chunk = Math.Min(source.Length - done, 4096 - (int)(at & 0xFFF));
            ulong pa = Translate(at, AccessKind.Write, user);
            memory.NoteWrite(pa >> 12);
            source.Slice(done, chunk).CopyTo(memory.Frame(pa >> 12).AsSpan((int)(pa & 0xFFF)));
            done += chunk;
        }
    }
}
