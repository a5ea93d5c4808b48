using System.Runtime.InteropServices;

namespace KmlSim.Tests.Native;

/// <summary>Page-aligned anonymous memory of the test process, mapped with <c>mmap</c> and released on dispose.</summary>
internal sealed unsafe class NativeRegion : IDisposable
{
    private nint address;

    public NativeRegion(int length, int protection)
    {
        Length = length;
        address = LibC.Mmap(0, (nuint)length, protection, LibC.MapPrivate | LibC.MapAnonymous, -1, 0);
        if (address == LibC.MapFailed)
        {
            throw new InvalidOperationException($"mmap of {length} bytes failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The first byte's address (also its linear address, which the simulator can map too).</summary>
    public ulong Address => (ulong)address;

    public int Length { get; }

    public Span<byte> Bytes => new((void*)address, Length);

    public void Dispose()
    {
        if (address != 0)
        {
            LibC.Munmap(address, (nuint)Length);
            address = 0;
        }
    }
}
