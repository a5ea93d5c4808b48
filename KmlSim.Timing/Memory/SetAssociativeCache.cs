using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KmlSim.Timing.Memory;

/// <summary>
/// A set-associative array of tags with true LRU replacement, on flat arrays. Used for the caches (tags are
/// line numbers) and the set-associative TLB (tags are page numbers); a fully associative structure is one set.
/// </summary>
public sealed class SetAssociativeCache
{
    private const ulong Empty = ulong.MaxValue;
    private readonly ulong[] tags;
    private readonly long[] stamps;
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
        tags = new ulong[entries];
        stamps = new long[entries];
        Array.Fill(tags, Empty);
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

        stamps[base_ + way] = ++clock;
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
            if (tags[i] == Empty)
            {
                victim = i;
                break;
            }

            if (stamps[i] < stamps[victim])
            {
                victim = i;
            }
        }

        ulong evicted = tags[victim];
        tags[victim] = tag;
        stamps[victim] = ++clock;
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

        tags[base_ + way] = Empty;
        return true;
    }

    /// <summary>
    /// The lowest way of the set at <paramref name="base_"/> holding <paramref name="tag"/>, or -1. Wide sets
    /// (the fully associative L1 TLB's 32 ways, the L2's 16) compare four tags per vector instruction.
    /// </summary>
    private int Find(int base_, ulong tag)
    {
        int w = 0;
        if (ways >= Vector256<ulong>.Count)
        {
            ref ulong first = ref MemoryMarshal.GetArrayDataReference(tags);
            Vector256<ulong> wanted = Vector256.Create(tag);
            for (; w + Vector256<ulong>.Count <= ways; w += Vector256<ulong>.Count)
            {
                uint hits = Vector256.Equals(Vector256.LoadUnsafe(ref first, (nuint)(base_ + w)), wanted).ExtractMostSignificantBits();
                if (hits != 0)
                {
                    return w + BitOperations.TrailingZeroCount(hits);
                }
            }
        }

        for (; w < ways; w++)
        {
            if (tags[base_ + w] == tag)
            {
                return w;
            }
        }

        return -1;
    }

    /// <summary>Drops every entry.</summary>
    public void Clear() => Array.Fill(tags, Empty);
}
