using KmlSim.Kernel.Process;
using KmlSim.Kernel.Syscalls;
using KmlSim.Tests.Kernel.Elf;
using KmlSim.Tests.Kernel.Process;

namespace KmlSim.Tests.Kernel.Syscalls;

/// <summary>brk, anonymous mmap, munmap, mprotect and mremap as glibc's and musl's allocators use them.</summary>
public class MemorySyscallTests
{
    private const ulong ReadWrite = 3;
    private const ulong PrivateAnonymous = 0x22;
    private const ulong Fixed = 0x10;
    private const ulong FixedNoReplace = 0x10_0000;

    private static bool CanWrite(GuestProcess p, ulong address) => p.User.TryWrite(address, [1]);

    private static bool CanRead(GuestProcess p, ulong address) => p.User.TryRead(address, new byte[1]);

    [Test]
    public void BrkGrowsAndShrinksTheHeapAndRefusesToGoBelowItsStart()
    {
        GuestProcess p = TestProcess.Idle();
        ulong start = (ulong)p.Call("brk", 0);
        Assert.Multiple(() =>
        {
            Assert.That(start % 4096, Is.Zero);
            Assert.That(CanWrite(p, start), Is.False, "nothing mapped yet");
            Assert.That(p.Call("brk", start + 0x2100), Is.EqualTo(start + 0x2100));
            Assert.That(CanWrite(p, start + 0x2FFF), Is.True, "the whole last page is usable");
            Assert.That(CanWrite(p, start + 0x3000), Is.False);
            Assert.That(p.Call("brk", start + 0x800), Is.EqualTo(start + 0x800));
            Assert.That(CanWrite(p, start + 0x1000), Is.False, "released");
            Assert.That(p.Call("brk", start - 0x1000), Is.EqualTo(start + 0x800), "below the start: unchanged");
        });
    }

    [Test]
    public void AnonymousMmapGivesZeroedWritablePagesTopDown()
    {
        GuestProcess p = TestProcess.Idle();
        long first = p.Call("mmap", 0, 10000, ReadWrite, PrivateAnonymous, ulong.MaxValue, 0);
        long second = p.Call("mmap", 0, 4096, ReadWrite, PrivateAnonymous, ulong.MaxValue, 0);
        Assert.Multiple(() =>
        {
            Assert.That(first % 4096, Is.Zero);
            Assert.That((ulong)first + 12288, Is.EqualTo(ProcessMemory.MmapTop - KmlSim.Kernel.Vdso.VdsoImage.MappedBytes), "just below the vvar page and the vDSO, which exec mapped first");
            Assert.That(second, Is.EqualTo(first - 4096));
            Assert.That(p.Peek((ulong)first, 12288), Is.All.Zero);
            Assert.That(CanWrite(p, (ulong)first + 12287), Is.True);
        });
    }

    [Test]
    public void AFreeHintIsHonouredAndMapFixedReplaces()
    {
        GuestProcess p = TestProcess.Idle();
        const ulong hint = 0x7000_0000_0000;
        Assert.That(p.Call("mmap", hint, 8192, ReadWrite, PrivateAnonymous, ulong.MaxValue, 0), Is.EqualTo((long)hint));
        p.Poke(hint, [9]);
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("mmap", hint, 4096, ReadWrite, PrivateAnonymous | FixedNoReplace, ulong.MaxValue, 0), Is.EqualTo(-Errno.EEXIST));
            Assert.That(p.Call("mmap", hint, 4096, 1, PrivateAnonymous | Fixed, ulong.MaxValue, 0), Is.EqualTo((long)hint));
            Assert.That(p.Peek(hint, 1)[0], Is.Zero, "a fresh page replaced the old one");
            Assert.That(CanWrite(p, hint), Is.False, "read-only now");
            Assert.That(CanWrite(p, hint + 4096), Is.True, "the rest of the old mapping remains");
        });
    }

    [Test]
    public void BadMmapRequestsFail()
    {
        GuestProcess p = TestProcess.Idle();
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("mmap", 0, 0, ReadWrite, PrivateAnonymous, ulong.MaxValue, 0), Is.EqualTo(-Errno.EINVAL), "zero length");
            Assert.That(p.Call("mmap", 0, 4096, ReadWrite, 0x20, ulong.MaxValue, 0), Is.EqualTo(-Errno.EINVAL), "neither shared nor private");
            Assert.That(p.Call("mmap", 0, 4096, ReadWrite, 0x02, 7, 0), Is.EqualTo(-Errno.EBADF), "a file that is not open");
            Assert.That(p.Call("mmap", 0, 4096, ReadWrite, 0x02, 0, 0), Is.EqualTo(-Errno.ENODEV), "stdin cannot be mapped");
            Assert.That(p.Call("mmap", 0x7000_0000_0123, 4096, ReadWrite, PrivateAnonymous | Fixed, ulong.MaxValue, 0), Is.EqualTo(-Errno.EINVAL), "unaligned fixed");
            Assert.That(p.Call("mmap", 0x1000, 4096, ReadWrite, PrivateAnonymous | Fixed, ulong.MaxValue, 0), Is.EqualTo(-Errno.EPERM), "below mmap_min_addr");
        });
    }

    /// <summary>
    /// A writable MAP_SHARED of a regular file is refused with ENODEV (documented: no page cache to share);
    /// a read-only MAP_SHARED and MAP_PRIVATE of it show the file's bytes.
    /// </summary>
    [Test]
    public void WritableSharedFileMappingsAreRefusedAndReadOnlyOnesCopyTheFile()
    {
        GuestProcess p = TestProcess.Idle();
        const ulong path = ElfImageBuilder.DataAddress;
        p.Poke(path, "/shared.dat\0"u8);
        long fd = p.Call("open", path, 0x42, 0x1A4); // O_RDWR | O_CREAT, 0644
        p.Poke(path + 0x100, "file bytes"u8);
        Assert.That(p.Call("write", (ulong)fd, path + 0x100, 10), Is.EqualTo(10));
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("mmap", 0, 4096, ReadWrite, 0x01, (ulong)fd, 0), Is.EqualTo(-Errno.ENODEV), "writable MAP_SHARED");
            long shared = p.Call("mmap", 0, 4096, 1, 0x01, (ulong)fd, 0); // PROT_READ, MAP_SHARED
            Assert.That(shared, Is.Positive, "read-only MAP_SHARED");
            Assert.That(p.Peek((ulong)shared, 11), Is.EqualTo("file bytes\0"u8.ToArray()));
            long mapped = p.Call("mmap", 0, 4096, ReadWrite, 0x02, (ulong)fd, 0);
            Assert.That(mapped, Is.Positive, "MAP_PRIVATE");
            Assert.That(p.Peek((ulong)mapped, 11), Is.EqualTo("file bytes\0"u8.ToArray()));
        });
    }

    [Test]
    public void RunningOutOfSimulatedMemoryIsEnomemAndLeavesNothingMapped()
    {
        GuestProcess p = TestProcess.Idle(memoryBytes: 32UL << 20);
        long before = p.Cpu.Memory.AllocatedFrames;
        Assert.That(p.Call("mmap", 0, 64UL << 20, ReadWrite, PrivateAnonymous, ulong.MaxValue, 0), Is.EqualTo(-Errno.ENOMEM));
        Assert.That(p.Call("brk", p.Memory.Break + (64UL << 20)), Is.EqualTo((long)p.Memory.Break), "brk fails by not moving");
        Assert.That(p.Cpu.Memory.AllocatedFrames, Is.LessThanOrEqualTo(before + 64), "only page tables may remain");
        Assert.That(p.Call("mmap", 0, 4096, ReadWrite, PrivateAnonymous, ulong.MaxValue, 0), Is.Positive, "and small requests still work");
    }

    /// <summary>
    /// munmap frees the page tables that no longer map anything (Linux's free_pgtables): 20,000 one-page
    /// mappings, each 1 GiB from the last so that each needs a page directory and a page table of its own
    /// (two frames, 160 MB in all), come and go on a 32 MiB machine and leave nothing behind. Before, the
    /// tables stayed and the churn ran the guest out of memory.
    /// </summary>
    [Test]
    public void MmapMunmapChurnLeavesNoPageTablesBehind()
    {
        GuestProcess p = TestProcess.Idle(memoryBytes: 32UL << 20);
        long before = p.Cpu.Memory.AllocatedFrames;
        const ulong fixedMapping = 0x10;
        for (ulong i = 1; i <= 20_000; i++)
        {
            ulong at = i << 30;
            long mapped = p.Call("mmap", at, 4096, ReadWrite, PrivateAnonymous | fixedMapping, ulong.MaxValue, 0);
            Assert.That(mapped, Is.EqualTo((long)at), $"mapping {i}");
            Assert.That(p.Call("munmap", at, 4096), Is.Zero);
        }

        Assert.That(p.Cpu.Memory.AllocatedFrames, Is.EqualTo(before));
    }

    [Test]
    public void MunmapRemovesPagesAndPartialUnmapSplitsAMapping()
    {
        GuestProcess p = TestProcess.Idle();
        ulong at = (ulong)p.Call("mmap", 0, 3 * 4096, ReadWrite, PrivateAnonymous, ulong.MaxValue, 0);
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("munmap", at + 4096, 4096), Is.Zero);
            Assert.That(CanRead(p, at), Is.True);
            Assert.That(CanRead(p, at + 4096), Is.False);
            Assert.That(CanRead(p, at + 8192), Is.True);
            Assert.That(p.Call("munmap", at + 1, 4096), Is.EqualTo(-Errno.EINVAL), "unaligned");
        });
    }

    [Test]
    public void MprotectToNoneAndBackKeepsTheContents()
    {
        GuestProcess p = TestProcess.Idle();
        ulong at = (ulong)p.Call("mmap", 0, 8192, ReadWrite, PrivateAnonymous, ulong.MaxValue, 0);
        p.Poke(at + 100, [0x5A]);
        Assert.That(p.Call("mprotect", at, 8192, 0), Is.Zero);
        Assert.That(CanRead(p, at + 100), Is.False);
        Assert.That(p.Call("mprotect", at, 4096, 1), Is.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(p.Peek(at + 100, 1)[0], Is.EqualTo(0x5A));
            Assert.That(CanWrite(p, at), Is.False, "read-only");
            Assert.That(CanRead(p, at + 4096), Is.False, "the second page stays PROT_NONE");
            Assert.That(p.Call("mprotect", at + 0x100000, 4096, 1), Is.EqualTo(-Errno.ENOMEM), "unmapped range");
        });
    }

    [Test]
    public void AProtNoneReservationCostsNoFramesUntilOpened()
    {
        GuestProcess p = TestProcess.Idle();
        long before = p.Cpu.Memory.AllocatedFrames;
        ulong at = (ulong)p.Call("mmap", 0, 1UL << 30, 0, PrivateAnonymous | 0x4000, ulong.MaxValue, 0);
        Assert.That(p.Cpu.Memory.AllocatedFrames, Is.EqualTo(before));
        Assert.That(p.Call("mprotect", at, 16384, ReadWrite), Is.Zero);
        Assert.That(CanWrite(p, at + 16383), Is.True);
    }

    [Test]
    public void MremapGrowsByMovingAndKeepsTheContents()
    {
        GuestProcess p = TestProcess.Idle();
        ulong first = (ulong)p.Call("mmap", 0x7000_0000_0000, 8192, ReadWrite, PrivateAnonymous, ulong.MaxValue, 0); // (a free hint is taken)
        ulong blocker = (ulong)p.Call("mmap", first + 8192, 4096, ReadWrite, PrivateAnonymous | FixedNoReplace, ulong.MaxValue, 0);
        Assert.That(blocker, Is.EqualTo(first + 8192));
        p.Poke(first + 5000, [1, 2, 3]);
        Assert.That(p.Call("mremap", first, 8192, 20000, 0), Is.EqualTo(-Errno.ENOMEM), "cannot grow in place without MREMAP_MAYMOVE");
        ulong moved = (ulong)p.Call("mremap", first, 8192, 20000, 1);
        Assert.Multiple(() =>
        {
            Assert.That(moved, Is.Not.EqualTo(first));
            Assert.That(p.Peek(moved + 5000, 3), Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(CanWrite(p, moved + 20479), Is.True);
            Assert.That(CanRead(p, first), Is.False, "the old range is gone");
        });
    }

    [Test]
    public void MremapGrowsInPlaceWhenThereIsRoomAndShrinks()
    {
        GuestProcess p = TestProcess.Idle();
        const ulong at = 0x7000_0000_0000;
        p.Call("mmap", at, 4096, ReadWrite, PrivateAnonymous | Fixed, ulong.MaxValue, 0);
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("mremap", at, 4096, 3 * 4096, 0), Is.EqualTo((long)at));
            Assert.That(CanWrite(p, at + 3 * 4096 - 1), Is.True);
            Assert.That(p.Call("mremap", at, 3 * 4096, 4096, 0), Is.EqualTo((long)at));
            Assert.That(CanWrite(p, at + 4096), Is.False);
            Assert.That(p.Call("mremap", 0x6000_0000_0000, 4096, 8192, 1), Is.EqualTo(-Errno.EFAULT), "nothing mapped there");
        });
    }
}
