using KmlSim.Timing.Profiles;

namespace KmlSim.Timing.Memory;

/// <summary>
/// One side (instruction or data) of the K8 TLBs: a fully associative L1 TLB of 32 x 4 KB plus 8 x 2 MB
/// entries and a 512-entry 4-way L2 TLB of 4 KB entries only (reference §2: CPUID 8000_0006 reports no L2
/// entries for 2 MB pages, so a 2 MB L1 miss walks). A CR3 write or INVLPG flushes (the machine uses no
/// global pages).
/// </summary>
public sealed class Tlb
{
    private readonly SetAssociativeCache l1;
    private readonly SetAssociativeCache l2;
    private readonly SetAssociativeCache l1Large;
    private ulong lastLargePage = ulong.MaxValue; // as lastPage, for the 2 MB entries
    private ulong lastPage = ulong.MaxValue; // the most recently used page: already MRU, so a repeat hit changes nothing

    /// <summary>Creates the TLBs of a profile.</summary>
    public Tlb(CpuProfile profile)
    {
        l1 = new SetAssociativeCache(profile.L1TlbEntries, profile.L1TlbEntries);
        l2 = new SetAssociativeCache(profile.L2TlbEntries, profile.L2TlbWays);
        l1Large = new SetAssociativeCache(profile.L1TlbLargeEntries, profile.L1TlbLargeEntries);
    }

    /// <summary>L1 TLB misses.</summary>
    public long L1Misses { get; private set; }

    /// <summary>L2 TLB misses (page walks).</summary>
    public long Walks { get; private set; }

    /// <summary>
    /// Looks up the page of <paramref name="address"/> in the 4 KB and the 2 MB entries (the hardware
    /// searches both); only when neither holds it does <paramref name="isLargePage"/> say which size the
    /// page is, so the page tables are consulted on misses only. The TLBs that hold that size are refilled.
    /// </summary>
    public TlbResult Lookup(ulong address, Func<ulong, bool> isLargePage)
    {
        ulong page = address >> 12;
        ulong largePage = address >> 21;
        if (page == lastPage || largePage == lastLargePage)
        {
            return TlbResult.L1Hit;
        }

        if (l1.Touch(page))
        {
            lastPage = page;
            return TlbResult.L1Hit;
        }

        if (l1Large.Touch(largePage))
        {
            lastLargePage = largePage;
            return TlbResult.L1Hit;
        }

        L1Misses++;
        if (isLargePage(address))
        {
            lastLargePage = largePage;
            Walks++;
            l1Large.Insert(largePage);
            return TlbResult.LargeWalk;
        }

        lastPage = page;
        l1.Insert(page);
        if (l2.Touch(page))
        {
            return TlbResult.L2Hit;
        }

        Walks++;
        l2.Insert(page);
        return TlbResult.Walk;
    }

    /// <summary>Drops every translation (CR3 write).</summary>
    public void Flush()
    {
        lastPage = ulong.MaxValue;
        lastLargePage = ulong.MaxValue;
        l1.Clear();
        l2.Clear();
        l1Large.Clear();
    }

    /// <summary>Drops one page's translation (INVLPG).</summary>
    public void Flush(ulong address)
    {
        lastPage = ulong.MaxValue;
        lastLargePage = ulong.MaxValue;
        l1.Remove(address >> 12);
        l2.Remove(address >> 12);
        l1Large.Remove(address >> 21);
    }
}
