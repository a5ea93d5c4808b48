using KmlSim.Kernel.Elf;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;
using KmlSim.Memory;

namespace KmlSim.Kernel.Syscalls;

/// <summary>
/// Memory calls: mmap (anonymous, and private mappings of regular files), munmap, mprotect, mremap
/// (shrink, grow in place, or move) and brk. Running out of simulated physical memory is ENOMEM to the
/// guest, with nothing left half-mapped.
/// </summary>
internal static partial class SyscallDispatcher
{
    private const ulong MapTypeMask = 0x0F;
    private const ulong MapPrivate = 0x02;
    private const ulong MapFixed = 0x10;
    private const ulong MapAnonymous = 0x20;
    private const ulong MapFixedNoReplace = 0x10_0000;
    private const ulong ProtectionBits = 0x7;
    private const ulong WriteProtection = 0x2;
    private const ulong ProtGrowsDown = 0x0100_0000;
    private const ulong ProtGrowsUp = 0x0200_0000;
    private const ulong RemapMayMove = 1;

    /// <summary>
    /// mmap. A file mapping is of a regular file open for reading, at a page-aligned offset: its pages are
    /// filled with the file's bytes when it is made (a private copy, so writes through a writable
    /// MAP_PRIVATE mapping stay in the process, and later changes to the file do not show, as Linux
    /// guarantees only for pages already written). The part of the last page past the end of the file reads
    /// as zeroes, as on Linux; whole pages past the end read as zeroes too, where Linux would raise SIGBUS.
    /// MAP_SHARED of a file maps it the same way when it is not writable (what readers such as ld.so.cache
    /// users and databases mapping for reads need: the bytes are the file's); a writable MAP_SHARED of a
    /// file is refused with ENODEV (what Linux answers for a file system without shared writable mmap):
    /// writing through would need the file's pages to be the page cache itself. (A later mprotect adding
    /// PROT_WRITE to a shared file mapping gives a private copy: the file does not see the writes.)
    /// </summary>
    internal static long Mmap(GuestProcess p, ulong address, ulong length, ulong protection, ulong flags, int fd, ulong offset)
    {
        if (length == 0 || (flags & MapTypeMask) is not (1 or 2 or 3))
        {
            return -Errno.EINVAL; // MAP_SHARED, MAP_PRIVATE or MAP_SHARED_VALIDATE; one process, so all alike
        }

        OpenFile? file = null;
        if ((flags & MapAnonymous) == 0)
        {
            file = p.Files.Get(fd);
            if (file is null)
            {
                return -Errno.EBADF;
            }

            if (file is not RegularOpenFile)
            {
                return -Errno.ENODEV;
            }

            bool shared = (flags & MapTypeMask) != MapPrivate;
            if (!file.CanRead || (shared && (protection & WriteProtection) != 0 && !file.CanWrite))
            {
                return -Errno.EACCES;
            }

            if (shared && (protection & WriteProtection) != 0)
            {
                return -Errno.ENODEV;
            }

            if ((offset & (ProcessMemory.PageSize - 1)) != 0 || offset > long.MaxValue)
            {
                return -Errno.EINVAL;
            }
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

        var wanted = (Protection)(protection & ProtectionBits);
        try
        {
            // A PROT_NONE file mapping is filled readable first: its contents must be there once access is given.
            p.Memory.Map(start, size, file is not null && wanted == Protection.None ? Protection.Read : wanted);
            if (file is not null)
            {
                Fill(p.Memory, start, size, file, (long)offset);
                if (wanted == Protection.None)
                {
                    p.Memory.Protect(start, start + size, Protection.None);
                }
            }
        }
        catch (GuestMemoryExhaustedException)
        {
            return -Errno.ENOMEM; // (Map left the range unmapped)
        }

        return (long)start;
    }

    /// <summary>Copies the file's bytes from <paramref name="offset"/> into the freshly mapped pages at <paramref name="start"/> (the kernel's view, whatever their protection).</summary>
    private static void Fill(ProcessMemory memory, ulong start, ulong size, OpenFile file, long offset)
    {
        var page = new byte[ProcessMemory.PageSize];
        for (ulong done = 0; done < size; done += ProcessMemory.PageSize)
        {
            long read = file.ReadAt(offset + (long)done, page);
            if (read <= 0)
            {
                return; // past the end of the file: the rest stays zero
            }

            memory.Space.Write(start + done, page.AsSpan(0, (int)read));
        }
    }

    internal static long Munmap(GuestProcess p, ulong address, ulong length)
    {
        if (!IsPageRange(address, length, out ulong end) || length == 0)
        {
            return -Errno.EINVAL;
        }

        p.Memory.Unmap(address, end);
        return 0;
    }

    internal static long Mprotect(GuestProcess p, ulong address, ulong length, ulong protection)
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
    internal static long Mremap(GuestProcess p, ulong oldAddress, ulong oldSize, ulong newSize, ulong flags)
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
