using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KmlSim.Timing.Pipeline;

/// <summary>
/// Reservations of a group of identical units per cycle (a window of cycles on flat arrays), so that an
/// instruction issued out of order can take a unit at an earlier cycle than one issued before it.
/// </summary>
public sealed class UnitCalendar
{
    private const int Window = 4096;
    private const int WindowMask = Window - 1;
    private const int CountBits = 8; // a slot packs (cycle << 8) | units used, so one load answers "how busy is this cycle"
    private const long CountMask = (1 << CountBits) - 1;
    private readonly long[] slots = new long[Window];
    private readonly int capacity;

    /// <summary>Creates a calendar for <paramref name="capacity"/> units.</summary>
    public UnitCalendar(int capacity)
    {
        this.capacity = capacity;
        Array.Fill(slots, -1L); // cycle -1: no cycle is reserved yet
    }

    /// <summary>Reserves one unit for <paramref name="occupancy"/> consecutive cycles at the first cycle at or after <paramref name="ready"/>; returns that cycle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Reserve(long ready, int occupancy)
    {
        if (occupancy != 1)
        {
            return ReserveSpan(ready, occupancy);
        }

        // The common single-cycle reservation (ALU operations, L1 ports) usually finds a unit free at once.
        ref long slot = ref SlotOf(ready);
        if (slot >> CountBits != ready)
        {
            slot = (ready << CountBits) | 1; // a stale slot (another lap of the window) is free
            return ready;
        }

        if ((slot & CountMask) < capacity)
        {
            slot++;
            return ready;
        }

        return ReserveOneLater(ready + 1);
    }

    /// <summary>The first cycle after a busy one with a free unit.</summary>
    private long ReserveOneLater(long ready)
    {
        for (long cycle = ready; ; cycle++)
        {
            ref long slot = ref SlotOf(cycle);
            if (slot >> CountBits != cycle)
            {
                slot = (cycle << CountBits) | 1;
                return cycle;
            }

            if ((slot & CountMask) < capacity)
            {
                slot++;
                return cycle;
            }
        }
    }

    /// <summary>The slot of a cycle (the mask keeps the index inside the window, so no bounds check is needed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref long SlotOf(long cycle) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(slots), (nint)(cycle & WindowMask));

    private long ReserveSpan(long ready, int occupancy)
    {
        long start = ready;
        int span = Math.Min(occupancy, Window / 2);
        while (true)
        {
            int busy = -1;
            for (int k = 0; k < span; k++)
            {
                if (Used(start + k) >= capacity)
                {
                    busy = k;
                    break;
                }
            }

            if (busy < 0)
            {
                break;
            }

            start += busy + 1;
        }

        for (int k = 0; k < span; k++)
        {
            long cycle = start + k;
            ref long slot = ref SlotOf(cycle);
            slot = slot >> CountBits == cycle ? slot + 1 : (cycle << CountBits) | 1;
        }

        return start;
    }

    private long Used(long cycle)
    {
        long slot = SlotOf(cycle);
        return slot >> CountBits == cycle ? slot & CountMask : 0;
    }
}
