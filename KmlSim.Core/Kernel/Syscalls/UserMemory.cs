using System.Buffers.Binary;
using System.Text;
using KmlSim.Interrupts;
using KmlSim.Kernel.Elf;
using KmlSim.Memory;
using KmlSim.Observation;

namespace KmlSim.Kernel.Syscalls;

/// <summary>
/// copy_from_user / copy_to_user: system call bodies reach guest memory only through the MMU at the
/// process's privilege, so a bad pointer gives EFAULT (a false return here) rather than reading or
/// writing where the process itself could not. The bodies also run behind the real kernel entry, at CPL 0,
/// where the MMU would let them touch kernel memory: like Linux's <c>access_ok</c>, every range must lie
/// below the end of user space. The bytes copied are counted for the kernel-work meter, and every copy is
/// reported to it (<see cref="IKernelWorkMeter.ChargeCopy"/>) so that the user buffer goes through the
/// simulated caches and TLBs as the real copy_to_user/copy_from_user would take it.
/// </summary>
internal sealed class UserMemory(Mmu mmu)
{
    /// <summary>Longest path a call accepts (Linux's PATH_MAX, terminator included).</summary>
    public const int PathMax = 4096;

    /// <summary>
    /// Resolves a write fault at an address the way the page-fault handler would (copy-on-write after
    /// fork); true when the write may be retried. Null when nothing is shared copy-on-write.
    /// </summary>
    public Func<ulong, bool>? WriteFaultResolver { get; set; }

    /// <summary>The meter the copies are charged to (the process's kernel-work meter).</summary>
    public IKernelWorkMeter Meter { get; set; } = IKernelWorkMeter.None;

    /// <summary>Bytes copied to or from the guest so far.</summary>
    public long BytesCopied { get; private set; }

    /// <summary>Copies guest bytes into <paramref name="destination"/>; false on a fault.</summary>
    public bool TryRead(ulong address, Span<byte> destination)
    {
        if (!IsUserRange(address, (ulong)destination.Length))
        {
            return false;
        }

        try
        {
            mmu.ReadBytes(address, destination);
            BytesCopied += destination.Length;
            Meter.ChargeCopy(address, destination.Length, toUser: false);
            return true;
        }
        catch (GuestFaultException)
        {
            return false;
        }
    }

    /// <summary>Copies bytes to the guest; false on a fault (a prefix may have been written, as on Linux).</summary>
    public bool TryWrite(ulong address, ReadOnlySpan<byte> source)
    {
        if (!IsUserRange(address, (ulong)source.Length))
        {
            return false;
        }

        while (true)
        {
            try
            {
                mmu.WriteBytes(address, source);
                BytesCopied += source.Length;
                Meter.ChargeCopy(address, source.Length, toUser: true);
                return true;
            }
            catch (GuestFaultException fault) when (IsWriteToPresentPage(fault) && WriteFaultResolver is { } resolve && resolve(fault.FaultAddress))
            {
                // a copy-on-write page got its private copy: write again (each retry resolves one more page)
            }
            catch (GuestFaultException)
            {
                return false;
            }
        }
    }

    private static bool IsWriteToPresentPage(GuestFaultException fault) =>
        fault.Vector == ExceptionVector.PageFault
        && ((fault.ErrorCode ?? 0) & (PageFaultErrorCode.Present | PageFaultErrorCode.Write)) == (PageFaultErrorCode.Present | PageFaultErrorCode.Write);

    /// <summary>Reads a little-endian 64-bit value; false on a fault.</summary>
    public bool TryRead64(ulong address, out ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        bool ok = TryRead(address, bytes);
        value = ok ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : 0;
        return ok;
    }

    /// <summary>Reads a little-endian 32-bit value (a futex word); false on a fault.</summary>
    public bool TryRead32(ulong address, out uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        bool ok = TryRead(address, bytes);
        value = ok ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : 0;
        return ok;
    }

    /// <summary>Writes a little-endian 32-bit value; false on a fault.</summary>
    public bool TryWrite32(ulong address, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return TryWrite(address, bytes);
    }

    /// <summary>Writes a little-endian 64-bit value; false on a fault.</summary>
    public bool TryWrite64(ulong address, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return TryWrite(address, bytes);
    }

    /// <summary>Reads a NUL-terminated UTF-8 path of at most <see cref="PathMax"/> bytes; null on a fault or no terminator.</summary>
    public string? TryReadPath(ulong address)
    {
        var bytes = new List<byte>();
        try
        {
            while (bytes.Count < PathMax)
            {
                if (!IsUserRange(address + (ulong)bytes.Count, 1UL))
                {
                    return null;
                }

                byte b = mmu.Read8(address + (ulong)bytes.Count);
                if (b == 0)
                {
                    return Encoding.UTF8.GetString(bytes.ToArray());
                }

                bytes.Add(b);
            }
        }
        catch (GuestFaultException)
        {
            return null;
        }

        return null;
    }

    /// <summary>Linux's access_ok: the range lies wholly in the user half (whether it is mapped is not asked).</summary>
    public static bool IsUserRange(ulong address, ulong length) =>
        address < ElfFile.UserSpaceEnd && length <= ElfFile.UserSpaceEnd - address;
}
