namespace KmlSim.Timing.Pipeline;

/// <summary>
/// Reservations of a group of identical units per cycle (a window of cycles on flat arrays), so that an
/// instruction issued out of order can take a unit at an earlier cycle than one issued before it.
/// </summary>
public sealed class UnitCalendar
{
    private const int Window = 4096;
    private const int WindowMask = Window - 1;
    private readonly long[] cycleOf = new long[Window];
    private readonly byte[] used = new byte[Window];
    private readonly int capacity;

    /// <summary>Creates a calendar for <paramref name="capacity"/> units.</summary>
    public UnitCalendar(int capacity)
    {
        this.capacity = capacity;
        Array.Fill(cycleOf, -1);
    }

    /// <summary>Reserves one unit for <paramref name="occupancy"/> consecutive cycles at the first cycle at or after <paramref name="ready"/>; returns that cycle.</summary>
    public long Reserve(long ready, int occupancy)
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
            int slot = (int)((start + k) & WindowMask);
            if (cycleOf[slot] != start + k)
            {
                cycleOf[slot] = start + k;
                used[slot] = 0;
            }

            used[slot]++;
        }

        return start;
    }

    private int Used(long cycle)
    {
        int slot = (int)(cycle & WindowMask);
        return cycleOf[slot] == cycle ? used[slot] : 0;
    }
}
