using System.Buffers.Binary;
using System.Text;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Syscalls;
using KmlSim.Tests.Kernel.Elf;
using KmlSim.Tests.Kernel.Process;

namespace KmlSim.Tests.Kernel.Syscalls;

/// <summary>The standard streams as pipes, and /proc/self/exe.</summary>
public class FileSyscallTests
{
    private const ulong Buffer = ElfImageBuilder.DataAddress;

    [Test]
    public void WriteAndWritevAppendToTheCapturedStreams()
    {
        GuestProcess p = TestProcess.Idle();
        p.Poke(Buffer, "abcdef"u8);
        var iov = new byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(iov, Buffer + 3);
        BinaryPrimitives.WriteUInt64LittleEndian(iov.AsSpan(8), 3);
        BinaryPrimitives.WriteUInt64LittleEndian(iov.AsSpan(16), Buffer);
        BinaryPrimitives.WriteUInt64LittleEndian(iov.AsSpan(24), 1);
        p.Poke(Buffer + 0x100, iov);
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("write", 1, Buffer, 2), Is.EqualTo(2));
            Assert.That(p.Call("writev", 1, Buffer + 0x100, 2), Is.EqualTo(4));
            Assert.That(p.Call("write", 2, Buffer + 5, 1), Is.EqualTo(1));
            Assert.That(Encoding.ASCII.GetString(p.Stdout.ToArray()), Is.EqualTo("abdefa"));
            Assert.That(Encoding.ASCII.GetString(p.Stderr.ToArray()), Is.EqualTo("f"));
        });
    }

    [Test]
    public void BadDescriptorsAndPointersFail()
    {
        GuestProcess p = TestProcess.Idle();
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("write", 5, Buffer, 1), Is.EqualTo(-Errno.EBADF));
            Assert.That(p.Call("write", 1, 0x10, 1), Is.EqualTo(-Errno.EFAULT));
            Assert.That(p.Call("write", 1, 0xFFFF_8000_0000_0000, 1), Is.EqualTo(-Errno.EFAULT), "kernel address");
            Assert.That(p.Call("writev", 1, Buffer, 5000), Is.EqualTo(-Errno.EINVAL));
            Assert.That(p.Call("read", 1, Buffer, 1), Is.EqualTo(-Errno.EBADF));
            Assert.That(p.Stdout.Length, Is.Zero);
        });
    }

    [Test]
    public void ReadTakesHostFedStdinThenSeesEndOfFile()
    {
        GuestProcess p = TestProcess.Idle(stdin: "input"u8.ToArray());
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("read", 0, Buffer, 3), Is.EqualTo(3));
            Assert.That(p.Call("read", 0, Buffer + 3, 100), Is.EqualTo(2));
            Assert.That(p.Call("read", 0, Buffer, 100), Is.Zero);
            Assert.That(p.Peek(Buffer, 5), Is.EqualTo("input"u8.ToArray()));
        });
    }

    [Test]
    public void StandardStreamsAreNotTerminals()
    {
        GuestProcess p = TestProcess.Idle();
        const ulong tcgets = 0x5401;
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("ioctl", 1, tcgets, Buffer), Is.EqualTo(-Errno.ENOTTY));
            Assert.That(p.Call("ioctl", 2, 0x5413, Buffer), Is.EqualTo(-Errno.ENOTTY), "TIOCGWINSZ");
            Assert.That(p.Call("ioctl", 9, tcgets, Buffer), Is.EqualTo(-Errno.EBADF));
        });
    }

    [Test]
    public void FstatDescribesTheStreamsAsFifos()
    {
        GuestProcess p = TestProcess.Idle();
        const ulong emptyPath = Buffer + 0x200;
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("fstat", 1, Buffer), Is.Zero);
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(p.Peek(Buffer + 24, 4)) & 0xF000, Is.EqualTo(0x1000), "S_IFIFO");
            Assert.That(p.Call("newfstatat", 2, emptyPath, Buffer, 0x1000), Is.Zero, "AT_EMPTY_PATH");
            Assert.That(p.Call("newfstatat", 2, emptyPath, Buffer, 0), Is.EqualTo(-Errno.ENOENT));
            Assert.That(p.Call("fstat", 3, Buffer), Is.EqualTo(-Errno.EBADF));
        });
    }

    [Test]
    public void ReadlinkOfProcSelfExeNamesTheProgramAndTruncatesSilently()
    {
        GuestProcess p = TestProcess.Idle();
        p.Poke(Buffer, "/proc/self/exe\0"u8);
        long n = p.Call("readlink", Buffer, Buffer + 0x100, 4096);
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(p.Peek(Buffer + 0x100, (int)n)), Is.EqualTo(Path.GetFullPath(TestProcess.Path)));
            Assert.That(p.Call("readlink", Buffer, Buffer + 0x100, 3), Is.EqualTo(3));
            Assert.That(p.Call("readlinkat", unchecked((ulong)-100), Buffer, Buffer + 0x100, 4096), Is.EqualTo(n));
        });
        p.Poke(Buffer, "/etc/passwd\0"u8);
        Assert.That(p.Call("readlink", Buffer, Buffer + 0x100, 4096), Is.EqualTo(-Errno.ENOENT));
    }

    [Test]
    public void UnimplementedCallsAreEnosysAndCountedByName()
    {
        GuestProcess p = TestProcess.Idle();
        Assert.Multiple(() =>
        {
            Assert.That(p.Call(165, Buffer, Buffer, Buffer, 0, 0), Is.EqualTo(-Errno.ENOSYS), "mount");
            Assert.That(p.Call(165, 0, 0, 0), Is.EqualTo(-Errno.ENOSYS));
            Assert.That(p.Call(56, 0), Is.EqualTo(-Errno.ENOSYS), "clone");
            Assert.That(p.Call(100_000), Is.EqualTo(-Errno.ENOSYS));
            Assert.That(p.Call("rseq", 0, 32, 0, 0), Is.EqualTo(-Errno.ENOSYS), "rseq is refused on purpose");
            Assert.That(p.UnimplementedSyscalls, Is.EqualTo(new Dictionary<string, long> { ["mount"] = 2, ["clone"] = 1, ["syscall_100000"] = 1 }));
            Assert.That(p.SyscallCount, Is.EqualTo(5));
        });
    }

    [Test]
    public void AWriteBeyondTheSimulatedFileLimitIsEfbigAndLeavesTheHostAlone()
    {
        GuestProcess p = TestProcess.Idle();
        p.Poke(Buffer, "/tmp/big\0"u8);
        long fd = p.Call("open", Buffer, (ulong)(KmlSim.Kernel.Files.OpenFlags.Create | KmlSim.Kernel.Files.OpenFlags.ReadWrite), 0x1A4);
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("pwrite64", (ulong)fd, Buffer, 4, 1UL << 40), Is.EqualTo(-Errno.EFBIG));
            Assert.That(p.Call("ftruncate", (ulong)fd, 1UL << 40), Is.EqualTo(-Errno.EFBIG));
            Assert.That(p.Call("pwrite64", (ulong)fd, Buffer, 4, 4096), Is.EqualTo(4));
        });
    }

    /// <summary>
    /// Offsets near LLONG_MAX, from native runs (pwrite64 of 10 bytes, write after lseek, pread64): on tmpfs,
    /// which keeps files in memory as the simulation does, offset + count past LLONG_MAX is EINVAL
    /// (rw_verify_area) and lseek there succeeds; on ext4 an offset that does not overflow but passes the
    /// file size limit is EFBIG, and these files have a 1 GiB limit. (The simulation used to form
    /// offset + count and crash the host.)
    /// </summary>
    [Test]
    public void OffsetsNearTheLargestFileOffsetGiveEinvalOrEfbigAsNatively()
    {
        GuestProcess p = TestProcess.Idle();
        p.Poke(Buffer, "/tmp/edge\0"u8);
        ulong fd = (ulong)p.Call("open", Buffer, (ulong)(KmlSim.Kernel.Files.OpenFlags.Create | KmlSim.Kernel.Files.OpenFlags.ReadWrite), 0x1A4);
        const ulong largest = long.MaxValue;
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("pwrite64", fd, Buffer, 10, largest - 5), Is.EqualTo(-Errno.EINVAL));
            Assert.That(p.Call("pwrite64", fd, Buffer, 10, largest), Is.EqualTo(-Errno.EINVAL));
            Assert.That(p.Call("pwrite64", fd, Buffer, 10, largest - 20), Is.EqualTo(-Errno.EFBIG));
            Assert.That(p.Call("pread64", fd, Buffer, 10, largest - 5), Is.EqualTo(-Errno.EINVAL));
            Assert.That(p.Call("lseek", fd, largest - 5, 0), Is.EqualTo((long)largest - 5));
            Assert.That(p.Call("write", fd, Buffer, 10), Is.EqualTo(-Errno.EINVAL));
            Assert.That(p.Call("lseek", fd, largest - 20, 0), Is.EqualTo((long)largest - 20));
            Assert.That(p.Call("write", fd, Buffer, 10), Is.EqualTo(-Errno.EFBIG));
        });
    }

    [Test]
    public void DevUrandomFollowsTheMachineSeed()
    {
        byte[] Draw(int seed)
        {
            GuestProcess p = TestProcess.Idle(seed: seed);
            p.Poke(Buffer, "/dev/urandom\0"u8);
            long fd = p.Call("open", Buffer, 0, 0);
            Assert.That(p.Call("read", (ulong)fd, Buffer + 0x100, 32), Is.EqualTo(32));
            return p.Peek(Buffer + 0x100, 32);
        }

        byte[] first = Draw(7), again = Draw(7), other = Draw(8);
        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(first));
            Assert.That(other, Is.Not.EqualTo(first));
        });
    }
}
