namespace KmlSim.Memory;

/// <summary>
/// Sparse simulated physical memory: 4 KiB frames, each a host array created on first use. Frames are
/// handed out by <see cref="AllocateFrame"/> (a free list over a bump pointer) so that the kernel and the
/// loader never need to know where host memory lives.
/// </summary>
public sealed class PhysicalMemory
{
    /// <summary>Bytes in a frame (and in a small page).</summary>
    public const int FrameSize = 4096;

    private readonly byte[]?[] frames;
    private readonly Stack<ulong> freeFrames = new();
    private readonly HashSet<ulong> codeFrames = new();

    // Copy-on-write: the references a frame has beyond its first owner (absent = one owner). Only fork,
    // a write fault and a release touch it, never the per-instruction path.
    private readonly Dictionary<ulong, int> extraReferences = new();
    private ulong nextFrame = 1; // frame 0 stays unused so that physical address 0 is never handed out

    /// <summary>Creates memory of the given size in bytes (rounded down to whole frames).</summary>
    public PhysicalMemory(ulong sizeBytes)
    {
        ulong count = sizeBytes / FrameSize;
        if (count < 2 || count > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(sizeBytes), "physical memory must hold 2 .. 2^31 frames");
        }

        frames = new byte[]?[count];
    }

    /// <summary>Size in bytes.</summary>
    public ulong SizeBytes => (ulong)frames.Length * FrameSize;

    /// <summary>Frames currently allocated.</summary>
    public long AllocatedFrames => (long)(nextFrame - 1) - freeFrames.Count;

    /// <summary>Raised when a frame that holds decoded code is written, so decoded copies can be dropped.</summary>
    public event Action<ulong>? CodeFrameWritten;

    /// <summary>Allocates a zeroed frame and returns its frame number.</summary>
    /// <exception cref="GuestMemoryExhaustedException">No frame is left.</exception>
    public ulong AllocateFrame()
    {
        if (freeFrames.TryPop(out ulong pfn))
        {
            return pfn; // (its host array was dropped when it was freed: it reads as zeroes again)
        }

        if (nextFrame >= (ulong)frames.Length)
        {
            throw new GuestMemoryExhaustedException(SizeBytes);
        }

        return nextFrame++;
    }

    /// <summary>Frames on the free list (freed and not yet handed out again).</summary>
    public long FreeFrameCount => freeFrames.Count;

    /// <summary>
    /// Drops one reference to a frame; the last one returns it to the free list. (A frame shared by
    /// copy-on-write after fork has one reference per address space that maps it.)
    /// </summary>
    public void FreeFrame(ulong pfn)
    {
        if (extraReferences.TryGetValue(pfn, out int extra))
        {
            if (extra == 1)
            {
                extraReferences.Remove(pfn);
            }
            else
            {
                extraReferences[pfn] = extra - 1;
            }

            return;
        }

        NoteWrite(pfn);
        frames[pfn] = null; // the host memory goes back too, and a frame never touched again costs nothing
        freeFrames.Push(pfn);
    }

    /// <summary>Adds a reference to an allocated frame (a second address space maps it, copy-on-write).</summary>
    public void ShareFrame(ulong pfn) => extraReferences[pfn] = extraReferences.GetValueOrDefault(pfn) + 1;

    /// <summary>True when more than one address space holds the frame.</summary>
    public bool IsShared(ulong pfn) => extraReferences.ContainsKey(pfn);

    /// <summary>The host array backing a frame (created on first use).</summary>
    public byte[] Frame(ulong pfn)
    {
        if (pfn >= (ulong)frames.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(pfn), $"frame 0x{pfn:x} is beyond physical memory");
        }

        return frames[pfn] ??= new byte[FrameSize];
    }

    /// <summary>Marks a frame as holding decoded instructions; writes to it are then reported.</summary>
    public void MarkCode(ulong pfn) => codeFrames.Add(pfn);

    /// <summary>True when decoded instructions were taken from this frame.</summary>
    public bool IsCode(ulong pfn) => codeFrames.Contains(pfn);

    /// <summary>Must be called before a frame that may hold code is written through a slow path.</summary>
    public void NoteWrite(ulong pfn)
    {
        if (codeFrames.Remove(pfn))
        {
            CodeFrameWritten?.Invoke(pfn);
        }
    }

    /// <summary>Reads a little-endian 64-bit value at a physical address (used by the page walker).</summary>
    public ulong ReadPhys64(ulong pa) => BitConverter.ToUInt64(Frame(pa / FrameSize), (int)(pa % FrameSize));

    /// <summary>Writes a little-endian 64-bit value at a physical address.</summary>
    public void WritePhys64(ulong pa, ulong value)
    {
        NoteWrite(pa / FrameSize);
        BitConverter.TryWriteBytes(Frame(pa / FrameSize).AsSpan((int)(pa % FrameSize)), value);
    }
}
