using KmlSim.Timing.Memory;
using KmlSim.Timing.Profiles;

namespace KmlSim.Timing.Pipeline;

/// <summary>
/// Latencies of data and instruction accesses: TLB lookups with page walks whose page-table reads (four, or three for a 2 MB page) go
/// through the data caches, the cache hierarchy, and store-to-load forwarding from recent stores.
/// </summary>
public sealed class MemoryTiming
{
    // Page-table entries live at synthetic, non-canonical line addresses, one region per level, so that the
    // entries of neighbouring pages share lines as in real tables (simplification: one table tree for all CR3s).
    private const ulong PageTableRegion = 0x0100_0000_0000_0000;
    private readonly CpuProfile profile;
    private const ulong NoStore = ulong.MaxValue; // a word no address has: a free store-buffer entry
    private const int Buckets = 64;
    private readonly ulong[] storeLines; // the 8-byte word each store-buffer entry writes
    private readonly byte[] bucketStores = new byte[Buckets]; // buffered stores per word & 63: most loads find 0 and skip the search
    private readonly long[] storeReady;
    private readonly int storeEntries;
    private int storeNext;

    /// <summary>Creates the memory side of a profile.</summary>
    public MemoryTiming(CpuProfile profile)
    {
        this.profile = profile;
        Caches = new CacheHierarchy(profile);
        DataTlb = new Tlb(profile);
        InstructionTlb = new Tlb(profile);
        storeEntries = profile.StoreBufferEntries;
        storeLines = new ulong[storeEntries];
        storeReady = new long[storeEntries];
        Array.Fill(storeLines, NoStore);
    }

    /// <summary>The caches.</summary>
    public CacheHierarchy Caches { get; }

    /// <summary>Data TLBs.</summary>
    public Tlb DataTlb { get; }

    /// <summary>Instruction TLBs.</summary>
    public Tlb InstructionTlb { get; }

    /// <summary>
    /// Whether a linear address lies in a 2 MB page, asked only when neither TLB size holds its translation
    /// (the timing model passes the MMU's answer; the default says 4 KB everywhere).
    /// </summary>
    public Func<ulong, bool> IsLargePage { get; set; } = _ => false;

    /// <summary>Latency that cache and TLB misses added beyond an L1 hit: loads, fetches, page walks, block copies (stores do not stall).</summary>
    public long MissCycles { get; private set; }

    /// <summary>Loads satisfied by store-to-load forwarding.</summary>
    public long Forwards { get; private set; }

    /// <summary>Cycles from address to data for a load of <paramref name="size"/> bytes, or the forwarding time when a recent store wrote it.</summary>
    public long Load(ulong address, int size, long addressReady)
    {
        long translate = Translate(DataTlb, address);
        int store = FindStore(address >> 3);
        if (store >= 0)
        {
            Forwards++;
            MissCycles += translate;
            return Math.Max(addressReady + translate + profile.L1LoadLatency, storeReady[store] + profile.StoreForwardLatency);
        }

        int l1 = size < 4 ? profile.L1NarrowLoadLatency : profile.L1LoadLatency;
        long latency = translate + Level(Caches.Data(address), l1);
        MissCycles += latency - l1;
        return addressReady + latency;
    }

    /// <summary>
    /// A store: translated, allocated in L1D (write-allocate), and remembered for forwarding unless
    /// <paramref name="forwardable"/> is false (a LOCKed store is written to the cache before the next
    /// instruction runs: its measured latency already covers the round trip, reference §3 LOCK ADD L 19).
    /// </summary>
    public void Store(ulong address, long dataReady, bool forwardable)
    {
        Translate(DataTlb, address);
        Caches.Data(address);
        ulong word = address >> 3;
        if (!forwardable)
        {
            // Older buffered stores to the word are superseded: a later load reads the cache.
            for (int i = 0; i < storeEntries; i++)
            {
                if (storeLines[i] == word)
                {
                    storeLines[i] = NoStore;
                    bucketStores[(int)(word % Buckets)]--;
                }
            }

            return;
        }

        ulong replaced = storeLines[storeNext];
        if (replaced != NoStore)
        {
            bucketStores[(int)(replaced % Buckets)]--;
        }

        storeLines[storeNext] = word;
        bucketStores[(int)(word % Buckets)]++;
        storeReady[storeNext] = dataReady;
        storeNext = storeNext + 1 == storeEntries ? 0 : storeNext + 1;
    }

    /// <summary>
    /// The youngest store-buffer entry holding <paramref name="word"/>, or -1: a load forwards from the last
    /// store to its word, not from an older one still in the buffer.
    /// </summary>
    private int FindStore(ulong word)
    {
        if (bucketStores[(int)(word % Buckets)] == 0)
        {
            return -1;
        }

        int entry = storeNext;
        for (int age = 0; age < storeEntries; age++)
        {
            entry = entry == 0 ? storeEntries - 1 : entry - 1;
            if (storeLines[entry] == word)
            {
                return entry;
            }
        }

        return -1;
    }

    /// <summary>Touches the lines of a block (REP string operations) and returns the extra cycles of its misses.</summary>
    public long Block(ulong address, long bytes)
    {
        long extra = 0;
        ulong line = (ulong)profile.LineBytes;
        ulong end = address + (ulong)Math.Max(bytes, 1);
        for (ulong a = address & ~(line - 1); a < end; a += line)
        {
            extra += Translate(DataTlb, a) + Level(Caches.Data(a), 0);
        }

        MissCycles += extra;
        return extra;
    }

    /// <summary>Extra front-end cycles of fetching the line at <paramref name="ip"/> (hits cost nothing: fetch is pipelined).</summary>
    public long Fetch(ulong ip)
    {
        long miss = Translate(InstructionTlb, ip) + Level(Caches.Instruction(ip), 0);
        MissCycles += miss;
        return miss;
    }

    /// <summary>Flushes both TLBs (CR3 write).</summary>
    public void FlushTlbs()
    {
        DataTlb.Flush();
        InstructionTlb.Flush();
    }

    /// <summary>Flushes one page from both TLBs (INVLPG).</summary>
    public void FlushTlbs(ulong address)
    {
        DataTlb.Flush(address);
        InstructionTlb.Flush(address);
    }

    private long Level(MemoryLevel level, int l1) => level switch
    {
        MemoryLevel.L1 => l1,
        MemoryLevel.L2 => profile.L2Latency,
        MemoryLevel.L3 => profile.L3Latency,
        _ => profile.DramLatency,
    };

    private long Translate(Tlb tlb, ulong address)
    {
        TlbResult result = tlb.Lookup(address, IsLargePage);
        switch (result)
        {
            case TlbResult.L1Hit:
                return 0;
            case TlbResult.L2Hit:
                return profile.L2TlbHitPenalty;
            default:
                // 4 levels for a 4 KB page; a 2 MB page's walk ends at the page-directory entry (level 1).
                long walk = profile.PageWalkOverhead;
                for (int level = 3; level >= (result == TlbResult.LargeWalk ? 1 : 0); level--)
                {
                    ulong entry = PageTableRegion * (ulong)(level + 1) + ((address & 0xFFFF_FFFF_FFFF) >> (12 + (9 * level)) << 3);
                    walk += Level(Caches.Data(entry), profile.L1LoadLatency); // the reads depend on each other
                }

                return walk;
        }
    }
}
