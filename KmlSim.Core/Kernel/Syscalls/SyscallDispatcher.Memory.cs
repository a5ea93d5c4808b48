using KmlSim.Kernel.Elf;
using KmlSim.Kernel.Process;
using KmlSim.Memory;

namespace KmlSim.Kernel.Syscalls;

/// <summary>
/// Memory calls: anonymous mmap (file mappings need a file system, so they fail as on a pipe), munmap,
/// mprotect, mremap (shrink, grow in place, or move) and brk. Running out of simulated physical memory is
/// ENOMEM to the guest, with nothing left half-mapped.
/// </summary>
internal static partial class SyscallDispatcher
{
    private const ulong MapTypeMask = 0x0F;
    private const ulong MapFixed = 0x10;
    private const ulong MapAnonymous = 0x20;
    private const ulong MapFixedNoReplace = 0x10_0000;
    private const ulong ProtectionBits = 0x7;
    private const ulong ProtGrowsDown = 0x0100_0000;
    private const ulong ProtGrowsUp = 0x0200_0000;
    private const ulong RemapMayMove = 1;

    private static long Mmap(GuestProcess p, ulong address, ulong length, ulong protection, ulong flags, int fd)
    {
        if (length == 0 || (flags & MapTypeMask) is not (1 or 2 or 3))
        {
            return -Errno.EINVAL; // MAP_SHARED, MAP_PRIVATE or MAP_SHARED_VALIDATE; one process, so all alike
        }

        if ((flags & MapAnonymous) == 0)
        {
            return p.Files.Get(fd) is null ? -Errno.EBADF : -Errno.ENODEV; // file mappings are not offered
        }

        if (length > ElfFile.UserSpaceEnd)
        {
            return -Errno.ENOMEM;
        }

        ulong size = ProcessMemory.PageUp(length);
        ulong start;
        if ((flags & (MapFixed | MapFixedNoReplace)) != 0)
        {
            if ((address & (ProcessMemory.PageSize - 1)) != 0)
            {
                return -Errno.EINVAL;
            }

            if (address < ElfFile.MinimumAddress)
            {
                return -Errno.EPERM;
            }

            if (address >= ElfFile.UserSpaceEnd || size > ElfFile.UserSpaceEnd - address)
            {
                return -Errno.ENOMEM;
            }

            if ((flags & MapFixed) == 0 && !p.Memory.IsFree(address, address + size))
            {
                return -Errno.EEXIST;
            }

            start = address;
        }
        else if (p.Memory.FindFree(size, address) is { } free)
        {
            start = free;
        }
        else
        {
            return -Errno.ENOMEM;
        }

        try
        {
            p.Memory.Map(start, size, (Protection)(protection & ProtectionBits));
        }
        catch (GuestMemoryExhaustedException)
        {
            return -Errno.ENOMEM;
        }

        return (long)start;
    }

    private static long Munmap(GuestProcess p, ulong address, ulong length)
    {
        if (!IsPageRange(address, length, out ulong end) || length == 0)
        {
            return -Errno.EINVAL;
        }

        p.Memory.Unmap(address, end);
        return 0;
    }

    private static long Mprotect(GuestProcess p, ulong address, ulong length, ulong protection)
    {
        if ((protection & ~(ProtectionBits | ProtGrowsDown | ProtGrowsUp)) != 0 || (address & (ProcessMemory.PageSize - 1)) != 0)
        {
            return -Errno.EINVAL;
        }

        if (!IsPageRange(address, length, out ulong end))
        {
            return -Errno.ENOMEM;
        }

        try
        {
            return length == 0 || p.Memory.Protect(address, end, (Protection)(protection & ProtectionBits)) ? 0 : -Errno.ENOMEM;
        }
        catch (GuestMemoryExhaustedException)
        {
            return -Errno.ENOMEM;
        }
    }

    /// <summary>mremap without MREMAP_FIXED or MREMAP_DONTUNMAP (EINVAL): what glibc's realloc needs.</summary>
    private static long Mremap(GuestProcess p, ulong oldAddress, ulong oldSize, ulong newSize, ulong flags)
    {
        if ((flags & ~RemapMayMove) != 0 || oldSize == 0 || newSize == 0 || !IsPageRange(oldAddress, oldSize, out ulong oldEnd)
            || newSize > ElfFile.UserSpaceEnd)
        {
            return -Errno.EINVAL;
        }

        ulong oldLength = oldEnd - oldAddress, newLength = ProcessMemory.PageUp(newSize);
        if (p.Memory.RegionCovering(oldAddress, oldEnd) is not { } region)
        {
            return -Errno.EFAULT;
        }

        if (newLength <= oldLength)
        {
            p.Memory.Unmap(oldAddress + newLength, oldEnd);
            return (long)oldAddress;
        }

        ulong growth = newLength - oldLength;
        try
        {
            if (growth <= ElfFile.UserSpaceEnd - oldEnd && p.Memory.IsFree(oldEnd, oldEnd + growth))
            {
                p.Memory.Map(oldEnd, growth, region.Protection);
                return (long)oldAddress;
            }

            if ((flags & RemapMayMove) == 0 || p.Memory.FindFree(newLength, 0) is not { } target)
            {
                return -Errno.ENOMEM;
            }

            p.Memory.Map(target + oldLength, growth, region.Protection);
            p.Memory.Move(oldAddress, oldLength, target);
            return (long)target;
        }
        catch (GuestMemoryExhaustedException)
        {
            return -Errno.ENOMEM;
        }
    }

    /// <summary>A page-aligned start and a length whose page-rounded end stays in user space.</summary>
    private static bool IsPageRange(ulong address, ulong length, out ulong end)
    {
        end = 0;
        if ((address & (ProcessMemory.PageSize - 1)) != 0 || address >= ElfFile.UserSpaceEnd || length > ElfFile.UserSpaceEnd - address)
        {
            return false;
        }

        end = address + ProcessMemory.PageUp(length);
        return end <= ElfFile.UserSpaceEnd;
    }
}
