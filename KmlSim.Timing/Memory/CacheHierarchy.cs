using KmlSim.Timing.Profiles;

namespace KmlSim.Timing.Memory;

/// <summary>
/// L1I and L1D over a shared L2 that is exclusive of them (reference §2: the L2 is a victim cache): a line
/// found in L2 moves to L1; a line evicted from L1 goes to L2; a DRAM fill goes to L1 only. Lines are
/// identified by linear address (simplification: the model sees linear addresses; aliasing between address
/// spaces is ignored). With an L3 (family 10h), lines the L2 evicts go to the L3 and an L3 hit moves the line
/// to L1, as the L2 does. On an L1I miss the next line is prefetched into L1I when the profile says so.
/// </summary>
public sealed class CacheHierarchy
{
    private readonly SetAssociativeCache l1i;
    private readonly SetAssociativeCache l1d;
    private readonly SetAssociativeCache l2;
    private readonly SetAssociativeCache? l3;
    private readonly int lineShift;
    private readonly bool nextLinePrefetch;

    // The most recently used L1D line: already MRU, and only an L1D fill (which replaces this) can evict it.
    private ulong lastDataLine = ulong.MaxValue;

    /// <summary>Creates the hierarchy of a profile.</summary>
    public CacheHierarchy(CpuProfile profile)
    {
        int line = profile.LineBytes;
        lineShift = System.Numerics.BitOperations.Log2((uint)line);
        l1i = new SetAssociativeCache(profile.L1I.Bytes / line, profile.L1I.Ways);
        l1d = new SetAssociativeCache(profile.L1D.Bytes / line, profile.L1D.Ways);
        l2 = new SetAssociativeCache(profile.L2.Bytes / line, profile.L2.Ways);
        l3 = profile.L3 is { } shared ? new SetAssociativeCache(shared.Bytes / line, shared.Ways) : null;
        nextLinePrefetch = profile.InstructionNextLinePrefetch;
    }

    /// <summary>L1D misses so far.</summary>
    public long L1DMisses { get; private set; }

    /// <summary>L1I misses so far.</summary>
    public long L1IMisses { get; private set; }

    /// <summary>L2 misses so far (DRAM accesses, and L3 hits when there is an L3).</summary>
    public long L2Misses { get; private set; }

    /// <summary>A data access to the line holding <paramref name="address"/>.</summary>
    public MemoryLevel Data(ulong address)
    {
        ulong line = address >> lineShift;
        if (line == lastDataLine)
        {
            return MemoryLevel.L1;
        }

        lastDataLine = line;
        return Access(l1d, line, instruction: false);
    }

    /// <summary>An instruction fetch from the line holding <paramref name="address"/>.</summary>
    public MemoryLevel Instruction(ulong address)
    {
        ulong line = address >> lineShift;
        MemoryLevel level = Access(l1i, line, instruction: true);
        if (level != MemoryLevel.L1 && nextLinePrefetch && !l1i.Touch(line + 1))
        {
            Fill(l1i, line + 1);
        }

        return level;
    }

    private MemoryLevel Access(SetAssociativeCache l1, ulong line, bool instruction)
    {
        if (l1.Touch(line))
        {
            return MemoryLevel.L1;
        }

        if (instruction)
        {
            L1IMisses++;
        }
        else
        {
            L1DMisses++;
        }

        MemoryLevel level = l2.Remove(line) ? MemoryLevel.L2 : l3 is not null && l3.Remove(line) ? MemoryLevel.L3 : MemoryLevel.Dram;
        if (level != MemoryLevel.L2)
        {
            L2Misses++;
        }

        Fill(l1, line);
        return level;
    }

    private void Fill(SetAssociativeCache l1, ulong line)
    {
        if (l1.Insert(line) is { } victim && l2.Insert(victim) is { } l2Victim)
        {
            l3?.Insert(l2Victim);
        }
    }
}
