using KmlSim.Interrupts;
using KmlSim.Kernel.Elf;
using KmlSim.Kernel.Process;
using KmlSim.Memory;
using KmlSim.Tests.Kernel.Process;

namespace KmlSim.Tests.Kernel.Elf;

/// <summary>What the loader maps: permissions per page, file bytes, zeroed bss, the static-PIE base.</summary>
public class ElfLoaderTests
{
    private static bool Allows(GuestProcess p, ulong address, AccessKind kind)
    {
        try
        {
            p.Cpu.Mmu.Translate(address, kind, userAccess: true);
            return true;
        }
        catch (GuestFaultException)
        {
            return false;
        }
    }

    private static (bool Read, bool Write, bool Execute) Access(GuestProcess p, ulong address) =>
        (Allows(p, address, AccessKind.Read), Allows(p, address, AccessKind.Write), Allows(p, address, AccessKind.Fetch));

    /// <summary>
    /// A PT_LOAD with no permission flags is mapped PROT_NONE, as Linux's elf_map does (it used to be refused
    /// with an internal error): nothing may touch it until mprotect, which shows the file's bytes.
    /// </summary>
    [Test]
    public void ASegmentWithoutPermissionFlagsIsMappedInaccessibleWithItsContents()
    {
        byte[] image = new ElfImageBuilder()
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Execute, 0x401000, [0xF4], 1)
            .Segment(ElfSegment.Load, 0, 0x700000, "hidden"u8.ToArray(), 0x1000)
            .Build();
        GuestProcess p = TestProcess.Exec(image);
        (bool, bool, bool) before = Access(p, 0x700000);
        long protect = p.Call("mprotect", 0x700000, 0x1000, 1); // PROT_READ
        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo((false, false, false)));
            Assert.That(protect, Is.Zero);
            Assert.That(Access(p, 0x700000), Is.EqualTo((true, false, false)));
            Assert.That(p.Peek(0x700000, 6), Is.EqualTo("hidden"u8.ToArray()));
        });
    }

    [Test]
    public void SegmentPermissionsBecomePagePermissionsWithNoExecuteForData()
    {
        byte[] image = new ElfImageBuilder()
            .Segment(ElfSegment.Load, ElfSegment.Read, 0x400000, new byte[16], 16)
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Execute, 0x401000, [0xF4], 1)
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Write, 0x403000, new byte[16], 0x2000)
            .Build();
        GuestProcess p = TestProcess.Exec(image);
        Assert.Multiple(() =>
        {
            Assert.That(Access(p, 0x400000), Is.EqualTo((true, false, false)), "R");
            Assert.That(Access(p, 0x401000), Is.EqualTo((true, false, true)), "R E");
            Assert.That(Access(p, 0x403000), Is.EqualTo((true, true, false)), "RW");
            Assert.That(Access(p, 0x404FFF), Is.EqualTo((true, true, false)), "RW bss page");
            Assert.That(Access(p, 0x402000), Is.EqualTo((false, false, false)), "gap");
            Assert.That(Access(p, 0x405000), Is.EqualTo((false, false, false)), "beyond");
        });
    }

    [Test]
    public void APageSharedBySegmentsGetsTheUnionOfTheirPermissions()
    {
        byte[] image = new ElfImageBuilder()
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Execute, 0x401000, [0xF4], 0x800)
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Write, 0x401800, [1, 2, 3], 0x1000)
            .Build();
        GuestProcess p = TestProcess.Exec(image);
        Assert.Multiple(() =>
        {
            Assert.That(Access(p, 0x401000), Is.EqualTo((true, true, true)));
            Assert.That(Access(p, 0x402000), Is.EqualTo((true, true, false)));
            Assert.That(p.Peek(0x401800, 3), Is.EqualTo(new byte[] { 1, 2, 3 }));
        });
    }

    [Test]
    public void FileBytesAreCopiedAndTheBssIncludingThePartialPageIsZero()
    {
        byte[] data = Enumerable.Range(0, 100).Select(i => (byte)(0xA0 + (i % 16))).ToArray();
        byte[] image = new ElfImageBuilder()
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Execute, 0x401000, [0xF4], 1)
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Write, 0x600F00, data, 0x3000)
            .Build();
        GuestProcess p = TestProcess.Exec(image);
        Assert.Multiple(() =>
        {
            Assert.That(p.Peek(0x600F00, 100), Is.EqualTo(data));
            Assert.That(p.Peek(0x600F00 + 100, 0x3000 - 100), Is.All.EqualTo(0), "bss");
            Assert.That(p.Peek(0x600000, 0xF00), Is.All.EqualTo(0), "before the segment in its first page");
        });
    }

    [Test]
    public void TheProgramBreakStartsOnThePageAfterTheImage()
    {
        byte[] image = new ElfImageBuilder()
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Execute, 0x401000, [0xF4], 1)
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Write, 0x600F00, [1], 0x1234)
            .Build();
        Assert.That(TestProcess.Exec(image).Memory.Break, Is.EqualTo(0x603000));
    }

    [Test]
    public void StaticPieImagesAreLoadedAtTheLinuxDefaultBase()
    {
        byte[] image = new ElfImageBuilder { Type = ElfFile.TypeShared, Entry = 0x1010 }
            .Segment(ElfSegment.Load, ElfSegment.Read, 0, new byte[64], 64)
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Execute, 0x1000, [0x90, 0xF4], 2)
            .Build();
        GuestProcess p = TestProcess.Exec(image);
        Assert.Multiple(() =>
        {
            Assert.That(p.Cpu.Rip, Is.EqualTo(0x5555_5555_4000UL + 0x1010));
            Assert.That(p.Peek(0x5555_5555_5000, 2), Is.EqualTo(new byte[] { 0x90, 0xF4 }));
            Assert.That(Access(p, 0x5555_5555_5000), Is.EqualTo((true, false, true)));
        });
    }

    [Test]
    public void ExecutablesBelowTheLowestMappableAddressAreRefused()
    {
        byte[] image = new ElfImageBuilder().Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Execute, 0x1000, [0xF4], 1).Build();
        Assert.That(() => TestProcess.Exec(image), Throws.TypeOf<ElfFormatException>().With.Message.Contains("lowest mappable address"));
    }

    [Test]
    public void ImagesLargerThanTheMachinesMemoryAreRefused()
    {
        byte[] image = new ElfImageBuilder()
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Write, 0x401000, [1], 100UL << 30)
            .Build();
        Assert.That(() => TestProcess.Exec(image), Throws.TypeOf<ElfFormatException>().With.Message.Contains("MiB"));
    }

    [Test]
    public void TheStackIsNotExecutableUnlessPtGnuStackAsks()
    {
        GuestProcess plain = TestProcess.Exec(ElfImageBuilder.Program(a => a.hlt()));
        byte[] executable = new ElfImageBuilder()
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Execute, 0x401000, [0xF4], 1)
            .Segment(ElfSegment.GnuStack, ElfSegment.Read | ElfSegment.Write | ElfSegment.Execute, 0, [], 0)
            .Build();
        ulong stack = ProcessMemory.StackTop - 8;
        Assert.Multiple(() =>
        {
            Assert.That(Access(plain, stack), Is.EqualTo((true, true, false)));
            Assert.That(Access(TestProcess.Exec(executable), stack), Is.EqualTo((true, true, true)));
        });
    }
}
