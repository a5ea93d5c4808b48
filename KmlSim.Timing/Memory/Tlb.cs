using KmlSim.Timing.Profiles;

namespace KmlSim.Timing.Memory;

/// <summary>
/// One side (instruction or data) of the K8 TLBs: a fully associative L1 TLB of 32 x 4 KB entries and a
/// 512-entry 4-way L2 TLB (reference §2). The 8 x 2 MB L1 entries are not modelled: the simulator's
/// address spaces map 4 KB pages only. A CR3 write or INVLPG flushes (the machine uses no global pages).
/// </summary>
public sealed class Tlb
{
    private readonly SetAssociativeCache l1;
    private readonly SetAssociativeCache l2;
    private ulong lastPage = ulong.MaxValue; // the most recently used page: already MRU, so a repeat hit changes nothing

    /// <summary>Creates the TLBs of a profile.</summary>
    public Tlb(CpuProfile profile)
    {
        l1 = new SetAssociativeCache(profile.L1TlbEntries, profile.L1TlbEntries);
        l2 = new SetAssociativeCache(profile.L2TlbEntries, profile.L2TlbWays);
    }

    /// <summary>L1 TLB misses.</summary>
    public long L1Misses { get; private set; }

    /// <summary>L2 TLB misses (page walks).</summary>
    public long Walks { get; private set; }

    /// <summary>Looks up the page of <paramref name="address"/>: 0 = L1 hit, 1 = L2 hit, 2 = walk needed (both refilled).</summary>
    public int Lookup(ulong address)
    {
        ulong page = address >> 12;
        if (page == lastPage)
        {
            return 0;
        }

        lastPage = page;
        if (l1.Touch(page))
        {
            return 0;
        }

        L1Misses++;
        l1.Insert(page);
        if (l2.Touch(page))
        {
            return 1;
        }

        Walks++;
        l2.Insert(page);
        return 2;
    }

    /// <summary>Drops every translation (CR3 write).</summary>
    public void Flush()
    {
        lastPage = ulong.MaxValue;
        l1.Clear();
        l2.Clear();
    }

    /// <summary>Drops one page's translation (INVLPG).</summary>
    public void Flush(ulong address)
    {
        lastPage = ulong.MaxValue;
        l1.Remove(address >> 12);
        l2.Remove(address >> 12);
    }
}
