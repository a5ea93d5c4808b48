using System.Buffers.Binary;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;

namespace KmlSim.Kernel.Syscalls;

/// <summary>Fills x86-64 Linux's struct stat (144 bytes) for a node.</summary>
internal static class FileStatus
{
    /// <summary>sizeof(struct stat) on x86-64.</summary>
    public const int Size = 144;

    /// <summary>st_dev of the simulated file system (an anonymous device, as tmpfs has).</summary>
    private const ulong FileSystemDevice = 0x2A;

    /// <summary>st_dev of pipes and sockets (pipefs and sockfs are anonymous devices 0:12 and 0:8).</summary>
    private const ulong StreamDevice = 0xC;

    private const int BlockSize = 4096;

    /// <summary>The stat bytes of <paramref name="node"/>.</summary>
    public static byte[] Of(Inode node)
    {
        // dev, ino, nlink (u64); mode, uid, gid (u32) + pad; rdev, size, blksize, blocks (64-bit);
        // atime, mtime, ctime (sec, nsec pairs); 3 reserved words.
        if (node.HostStat() is { } host)
        {
            return HostStatus.WithIdentity(host, FileSystemDevice, node.Number, node.DeviceNumber);
        }

        var stat = new byte[Size];
        bool stream = node.Kind is NodeKind.Fifo or NodeKind.Socket;
        BinaryPrimitives.WriteUInt64LittleEndian(stat.AsSpan(0), stream ? StreamDevice : FileSystemDevice);
        BinaryPrimitives.WriteUInt64LittleEndian(stat.AsSpan(8), (ulong)node.Number);
        BinaryPrimitives.WriteUInt64LittleEndian(stat.AsSpan(16), (ulong)node.LinkCount);
        BinaryPrimitives.WriteUInt32LittleEndian(stat.AsSpan(24), node.Mode);
        BinaryPrimitives.WriteUInt32LittleEndian(stat.AsSpan(28), (uint)node.OwnerId);
        BinaryPrimitives.WriteUInt32LittleEndian(stat.AsSpan(32), (uint)(node.OwnerId == ProcessIdentity.UserId ? ProcessIdentity.GroupId : ProcessIdentity.RootId));
        BinaryPrimitives.WriteUInt64LittleEndian(stat.AsSpan(40), node.DeviceNumber);
        BinaryPrimitives.WriteInt64LittleEndian(stat.AsSpan(48), node.Size);
        BinaryPrimitives.WriteInt64LittleEndian(stat.AsSpan(56), BlockSize);
        BinaryPrimitives.WriteInt64LittleEndian(stat.AsSpan(64), (node.Size + BlockSize - 1) / BlockSize * (BlockSize / 512));
        ulong now = SimulatedClock.EpochSeconds;
        for (int time = 72; time < 120; time += 16)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(stat.AsSpan(time), now);
        }

        return stat;
    }
}
