using System.Buffers.Binary;
using System.Text;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;

namespace KmlSim.Kernel.Syscalls;

/// <summary>getdents64: directory entries as struct linux_dirent64 records.</summary>
internal static partial class SyscallDispatcher
{
    private const int DirentHeader = 19; // u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type

    internal static long Getdents64(GuestProcess p, int fd, ulong buffer, ulong size)
    {
        switch (p.Files.Get(fd))
        {
            case null:
                return -Errno.EBADF;
            case not DirectoryOpenFile:
                return -Errno.ENOTDIR;
        }

        var directory = (DirectoryOpenFile)p.Files.Get(fd)!;
        var records = new List<byte>();
        int capacity = (int)Math.Min(size, CopyChunk);
        while (directory.Current() is { } entry)
        {
            byte[] name = Encoding.UTF8.GetBytes(entry.Key);
            int length = (DirentHeader + name.Length + 1 + 7) & ~7; // the name's NUL, padded to 8 bytes
            if (records.Count + length > capacity)
            {
                if (records.Count == 0)
                {
                    return -Errno.EINVAL; // the buffer cannot hold even one entry
                }

                break;
            }

            var record = new byte[length];
            BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)entry.Value.Number);
            BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(8), directory.Advance());
            BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(16), (ushort)length);
            record[18] = (byte)((uint)entry.Value.Kind >> 12); // DT_* is the S_IFMT nibble
            name.CopyTo(record, DirentHeader);
            records.AddRange(record);
        }

        return p.User.TryWrite(buffer, records.ToArray()) ? records.Count : -Errno.EFAULT;
    }
}
