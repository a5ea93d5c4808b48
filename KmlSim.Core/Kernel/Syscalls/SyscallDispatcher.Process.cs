using System.Buffers.Binary;
using System.Text;
using KmlSim.Kernel.Elf;
using KmlSim.Kernel.Process;

namespace KmlSim.Kernel.Syscalls;

/// <summary>Process calls: exit, arch_prctl (FS/GS bases), set_tid_address, uname, resource limits.</summary>
internal static partial class SyscallDispatcher
{
    private const int ArchSetGs = 0x1001;
    private const int ArchSetFs = 0x1002;
    private const int ArchGetFs = 0x1003;
    private const int ArchGetGs = 0x1004;
    internal const ulong RobustListHeadSize = 24;
    private const int UtsFieldLength = 65;

    /// <summary>exit and exit_group: with a single thread both end the process.</summary>
    /// <summary>exit_group, or with <paramref name="threadOnly"/> exit: only the calling thread ends (the kernel ends the process with its last thread).</summary>
    internal static long Exit(GuestProcess p, int status, bool threadOnly)
    {
        p.Exit(status, threadOnly);
        return 0;
    }

    internal static long ArchPrctl(GuestProcess p, int code, ulong address)
    {
        var cpu = p.Cpu;
        switch (code)
        {
            case ArchSetFs or ArchSetGs when address >= ElfFile.UserSpaceEnd:
                return -Errno.EPERM;
            case ArchSetGs when p.KernelModeUser:
                return -Errno.EPERM; // KML: GS.base holds the per-CPU area a ring-0 process's kernel entry relies on
            case ArchSetFs:
                cpu.FsBase = address;
                return 0;
            case ArchSetGs:
                p.UserGsBase = address;
                return 0;
            case ArchGetFs:
                return p.User.TryWrite64(address, cpu.FsBase) ? 0 : -Errno.EFAULT;
            case ArchGetGs:
                return p.User.TryWrite64(address, p.UserGsBase) ? 0 : -Errno.EFAULT;
            default:
                return -Errno.EINVAL;
        }
    }

    /// <summary>set_robust_list: registers the calling thread's robust futex list (walked when it dies).</summary>
    internal static long SetRobustList(GuestProcess p, ulong head, ulong length)
    {
        if (length != RobustListHeadSize)
        {
            return -Errno.EINVAL;
        }

        p.RobustList = head;
        return 0;
    }

    /// <summary>get_robust_list for the calling thread (pid 0 or its own tid); another thread's is not looked up here: ESRCH.</summary>
    internal static long GetRobustList(GuestProcess p, int pid, ulong headAddress, ulong lengthAddress)
    {
        if (pid != 0 && pid != p.Tid)
        {
            return -Errno.ESRCH;
        }

        return p.User.TryWrite64(headAddress, p.RobustList) && p.User.TryWrite64(lengthAddress, RobustListHeadSize) ? 0 : -Errno.EFAULT;
    }

    internal static long SetTidAddress(GuestProcess p, ulong address)
    {
        p.ClearChildTid = address;
        return p.Tid;
    }

    internal static long Uname(GuestProcess p, ulong address)
    {
        string[] fields = [ProcessIdentity.SystemName, ProcessIdentity.NodeName, ProcessIdentity.Release, ProcessIdentity.Version, ProcessIdentity.Machine, "(none)"];
        var buffer = new byte[fields.Length * UtsFieldLength];
        for (int i = 0; i < fields.Length; i++)
        {
            Encoding.ASCII.GetBytes(fields[i], buffer.AsSpan(i * UtsFieldLength));
        }

        return p.User.TryWrite(address, buffer) ? 0 : -Errno.EFAULT;
    }

    /// <summary>prlimit64 (getrlimit and setrlimit are the pid-0 cases with one of the pointers null).</summary>
    internal static long Prlimit(GuestProcess p, int pid, int resource, ulong newAddress, ulong oldAddress)
    {
        if (pid != 0 && pid != p.Pid)
        {
            return -Errno.ESRCH;
        }

        if (resource is < 0 or >= ResourceLimits.Count)
        {
            return -Errno.EINVAL;
        }

        (ulong Soft, ulong Hard) old = p.Limits[resource];
        if (newAddress != 0)
        {
            if (!p.User.TryRead64(newAddress, out ulong soft) || !p.User.TryRead64(newAddress + 8, out ulong hard))
            {
                return -Errno.EFAULT;
            }

            if (soft > hard)
            {
                return -Errno.EINVAL;
            }

            if (hard > old.Hard)
            {
                return -Errno.EPERM; // an unprivileged process may not raise a hard limit
            }

            p.Limits[resource] = (soft, hard);
        }

        if (oldAddress != 0)
        {
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, old.Soft);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], old.Hard);
            if (!p.User.TryWrite(oldAddress, bytes))
            {
                return -Errno.EFAULT;
            }
        }

        return 0;
    }
}
