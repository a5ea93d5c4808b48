using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace KmlSim.Kernel.Files;

/// <summary>
/// The host's own stat of a file behind a mapping: its mode, link count, owner, size, blocks and times,
/// which the guest sees as they are (ls -l through a mapping prints what it prints on the host). The
/// host is x86-64 Linux, whose struct stat is the very layout the guest reads, so lstat(2) fills the
/// guest's buffer directly; .NET has no portable call for the link count, owner or block count, and one
/// libc function is less than a POSIX package for it. Device and inode numbers stay the simulation's,
/// so that they are unique within the guest's tree (an in-memory file could otherwise share a host inode).
/// </summary>
internal static partial class HostStatus
{
    private const int ModeOffset = 24;
    private const int DeviceOffset = 0, InodeOffset = 8, RdevOffset = 40;

    /// <summary>The host's struct stat of <paramref name="hostPath"/> (the link itself, not what it names), or null when it cannot be read.</summary>
    public static byte[]? Of(string hostPath)
    {
        var stat = new byte[Syscalls.FileStatus.Size];
        return Lstat(hostPath, ref MemoryMarshal.GetReference(stat.AsSpan())) == 0 ? stat : null;
    }

    /// <summary>The permission bits (with set-id and sticky bits) of a host file; r-xr-xr-x when its stat cannot be read.</summary>
    public static uint PermissionsOf(string hostPath) => Of(hostPath) is { } stat ? BinaryPrimitives.ReadUInt32LittleEndian(stat.AsSpan(ModeOffset)) & 0xFFF : 0x16D;

    /// <summary>A copy of <paramref name="stat"/> with the simulation's device, inode and rdev numbers.</summary>
    public static byte[] WithIdentity(byte[] stat, ulong device, long inode, ulong rdev)
    {
        byte[] copy = (byte[])stat.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(DeviceOffset), device);
        BinaryPrimitives.WriteInt64LittleEndian(copy.AsSpan(InodeOffset), inode);
        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(RdevOffset), rdev);
        return copy;
    }

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lstat(string path, ref byte buffer);
}
