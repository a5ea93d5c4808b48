using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KmlSim.Timing.Memory;

/// <summary>
/// A set-associative array of tags with true LRU replacement, on flat arrays. Used for the caches (tags are
/// line numbers) and the set-associative TLB (tags are page numbers); a fully associative structure is one set.
/// </summary>
public sealed class SetAssociativeCache
{
    private const ulong Empty = ulong.MaxValue;
    private readonly Way[] entries; // a set's ways side by side: a lookup touches one or two host cache lines
    private readonly int ways;
    private readonly int setMask;
    private long clock;

    /// <summary>Creates an array of <paramref name="entries"/> entries in sets of <paramref name="ways"/> (the set count must be a power of two).</summary>
    public SetAssociativeCache(int entries, int ways)
    {
        int sets = entries / ways;
        if (sets < 1 || (sets & (sets - 1)) != 0)
        {
            throw new ArgumentException("the number of sets must be a power of two", nameof(entries));
        }

        this.ways = ways;
        setMask = sets - 1;
        this.entries = new Way[entries];
        Clear();
    }

    /// <summary>True (and the entry becomes most recently used) when <paramref name="tag"/> is present.</summary>
    public bool Touch(ulong tag)
    {
        int base_ = ((int)tag & setMask) * ways;
        int way = Find(base_, tag);
        if (way < 0)
        {
            return false;
        }

        entries[base_ + way].Stamp = ++clock;
        return true;
    }

    /// <summary>Inserts <paramref name="tag"/> as most recently used; returns the evicted tag, or null.</summary>
    public ulong? Insert(ulong tag)
    {
        int base_ = ((int)tag & setMask) * ways;
        int victim = base_;
        for (int w = 0; w < ways; w++)
        {
            int i = base_ + w;
            if (entries[i].Tag == Empty)
            {
                victim = i;
                break;
            }

            if (entries[i].Stamp < entries[victim].Stamp)
            {
                victim = i;
            }
        }

        ulong evicted = entries[victim].Tag;
        entries[victim] = new Way { Tag = tag, Stamp = ++clock };
        return evicted == Empty ? null : evicted;
    }

    /// <summary>Removes <paramref name="tag"/> if present; true when it was.</summary>
    public bool Remove(ulong tag)
    {
        int base_ = ((int)tag & setMask) * ways;
        int way = Find(base_, tag);
        if (way < 0)
        {
            return false;
        }

        entries[base_ + way].Tag = Empty;
        return true;
    }

    /// <summary>The lowest way of the set at <paramref name="base_"/> holding <paramref name="tag"/>, or -1.</summary>
    private int Find(int base_, ulong tag)
    {
        ref Way set = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(entries), base_);
        for (int w = 0; w < ways; w++)
        {
            if (Unsafe.Add(ref set, w).Tag == tag)
            {
                return w;
            }
        }

        return -1;
    }

    /// <summary>Drops every entry.</summary>
    public void Clear() => Array.Fill(entries, new Way { Tag = Empty });

    /// <summary>One way: the tag and the time of its last use (the smallest stamp in a set is its LRU way).</summary>
    private struct Way
    {
        public ulong Tag;
        public long Stamp;
    }
}
