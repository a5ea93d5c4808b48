using System.Buffers.Binary;

namespace KmlSim.Kernel.Vdso;

/// <summary>
/// The vvar page: the data the vDSO reads in user mode, mapped read-only just below the vDSO image, as
/// Linux maps its vvar pages. Simulated time is a function of the clock ticks RDTSC returns, so the page
/// holds only each clock's origin (what Linux keeps in its vdso_data beside the clocksource's cycle_last,
/// mult and shift, which a fixed 2.4 GHz clock makes constants of the code) and the CPU getcpu reports.
/// </summary>
internal static class VvarLayout
{
    /// <summary>CLOCK_REALTIME at tick 0, in nanoseconds since the epoch (u64).</summary>
    public const int RealtimeBase = 0;

    /// <summary>CLOCK_MONOTONIC at tick 0, in nanoseconds (u64).</summary>
    public const int MonotonicBase = 8;

    /// <summary>The CPU the process runs on (u32): the machine has one, CPU 0.</summary>
    public const int Cpu = 16;

    /// <summary>The page's contents.</summary>
    public static byte[] Page()
    {
        var page = new byte[Process.ProcessMemory.PageSize];
        BinaryPrimitives.WriteUInt64LittleEndian(page.AsSpan(RealtimeBase), SimulatedClock.EpochSeconds * 1_000_000_000);
        BinaryPrimitives.WriteUInt64LittleEndian(page.AsSpan(MonotonicBase), SimulatedClock.BootNanoseconds);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(Cpu), 0);
        return page;
    }
}
