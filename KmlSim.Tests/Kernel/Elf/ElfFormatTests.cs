using System.Buffers.Binary;
using KmlSim.Kernel.Elf;

namespace KmlSim.Tests.Kernel.Elf;

/// <summary>Malformed, truncated and foreign executables are refused with a message naming the problem; PT_INTERP is read.</summary>
public class ElfFormatTests
{
    private static byte[] Valid() => new ElfImageBuilder()
        .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Execute, 0x401000, [0xF4], 1)
        .Build();

    private static string Refusal(byte[] file) => Assert.Throws<ElfFormatException>(() => ElfFile.Parse(file))!.Message;

    [Test]
    public void AValidMinimalExecutableParses()
    {
        ElfFile elf = ElfFile.Parse(Valid());
        Assert.Multiple(() =>
        {
            Assert.That(elf.Entry, Is.EqualTo(0x401000));
            Assert.That(elf.IsPositionIndependent, Is.False);
            Assert.That(elf.Segments, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void BadMagicIsRefused()
    {
        byte[] file = Valid();
        file[1] = (byte)'X';
        Assert.That(Refusal(file), Does.Contain("magic"));
        Assert.That(Refusal([]), Does.Contain("magic"));
    }

    [Test]
    public void ATruncatedHeaderIsRefused() => Assert.That(Refusal(Valid()[..40]), Does.Contain("truncated"));

    [Test]
    public void ThirtyTwoBitFilesAreRefused()
    {
        byte[] file = Valid();
        file[4] = 1;
        Assert.That(Refusal(file), Does.Contain("ELFCLASS32"));
    }

    [Test]
    public void BigEndianFilesAreRefused()
    {
        byte[] file = Valid();
        file[5] = 2;
        Assert.That(Refusal(file), Does.Contain("big-endian"));
    }

    [TestCase((ushort)3, TestName = "i386")]
    [TestCase((ushort)183, TestName = "AArch64")]
    public void OtherMachinesAreRefused(ushort machine)
    {
        byte[] file = new ElfImageBuilder { Machine = machine }.Segment(ElfSegment.Load, ElfSegment.Read, 0x401000, [0], 1).Build();
        Assert.That(Refusal(file), Does.Contain($"machine {machine} is not x86-64"));
    }

    [Test]
    public void ObjectFilesAreNotExecutables()
    {
        byte[] file = new ElfImageBuilder { Type = 1 }.Segment(ElfSegment.Load, ElfSegment.Read, 0x401000, [0], 1).Build();
        Assert.That(Refusal(file), Does.Contain("ET_REL"));
    }

    [Test]
    public void ProgramHeadersOutsideTheFileAreRefused()
    {
        byte[] file = Valid();
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(32), (ulong)file.Length - 10);
        Assert.That(Refusal(file), Does.Contain("program headers"));
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(32), ulong.MaxValue - 8);
        Assert.That(Refusal(file), Does.Contain("outside"));
    }

    [Test]
    public void AWrongProgramHeaderSizeOrCountIsRefused()
    {
        byte[] file = Valid();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(54), 32);
        Assert.That(Refusal(file), Does.Contain("entry size"));
        file = Valid();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(56), 0);
        Assert.That(Refusal(file), Does.Contain("count"));
    }

    [Test]
    public void SegmentBytesOutsideTheFileAreRefused()
    {
        byte[] file = new ElfImageBuilder().Segment(ElfSegment.Load, ElfSegment.Read, 0x401000, new byte[100], 100).Build();
        Assert.That(Refusal(file[..^50]), Does.Contain("segment 0").And.Contain("outside"));
    }

    [Test]
    public void FileSizeBeyondMemorySizeIsRefused()
    {
        byte[] file = new ElfImageBuilder().Segment(ElfSegment.Load, ElfSegment.Read, 0x401000, new byte[100], 10).Build();
        Assert.That(Refusal(file), Does.Contain("exceeds memory size"));
    }

    [Test]
    public void OverlappingSegmentsAreRefused()
    {
        byte[] file = new ElfImageBuilder()
            .Segment(ElfSegment.Load, ElfSegment.Read, 0x401000, new byte[16], 0x2000)
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Write, 0x402000, new byte[16], 16)
            .Build();
        Assert.That(Refusal(file), Does.Contain("segments 0 and 1 overlap"));
    }

    [Test]
    public void SegmentsSharingAPageButNotBytesAreAccepted()
    {
        byte[] file = new ElfImageBuilder()
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Execute, 0x401000, new byte[16], 0x800)
            .Segment(ElfSegment.Load, ElfSegment.Read | ElfSegment.Write, 0x401800, new byte[16], 16)
            .Build();
        Assert.That(ElfFile.Parse(file).Segments, Has.Count.EqualTo(2));
    }

    [Test]
    public void SegmentsBeyondUserSpaceAreRefused()
    {
        byte[] file = new ElfImageBuilder().Segment(ElfSegment.Load, ElfSegment.Read, 0xFFFF_8000_0000_0000, [0], 1).Build();
        Assert.That(Refusal(file), Does.Contain("outside user space"));
        file = new ElfImageBuilder().Segment(ElfSegment.Load, ElfSegment.Read, 0x401000, [0], ulong.MaxValue - 0x1000).Build();
        Assert.That(Refusal(file), Does.Contain("outside user space"));
    }

    [Test]
    public void AddressesIncongruentWithTheirFileOffsetAreRefused()
    {
        byte[] file = Valid();
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(64 + 16), 0x401100);
        Assert.That(Refusal(file), Does.Contain("modulo the 4 KiB page size"));
    }

    [Test]
    public void ADynamicExecutableNamesItsInterpreter()
    {
        byte[] file = new ElfImageBuilder()
            .Segment(ElfSegment.Interpreter, ElfSegment.Read, 0x400300, "/lib64/ld-linux-x86-64.so.2\0"u8.ToArray(), 28)
            .Segment(ElfSegment.Load, ElfSegment.Read, 0x401000, [0], 1)
            .Build();
        Assert.That(ElfFile.Parse(file).Interpreter, Is.EqualTo("/lib64/ld-linux-x86-64.so.2"));
        Assert.That(ElfFile.Parse(Valid()).Interpreter, Is.Null);
    }

    [TestCase("/lib64/ld.so", Description = "no terminating NUL")]
    [TestCase("/lib\0/ld.so\0", Description = "a NUL inside")]
    [TestCase("\0", Description = "empty")]
    public void AMalformedInterpreterPathIsRefused(string text)
    {
        byte[] path = System.Text.Encoding.UTF8.GetBytes(text);
        byte[] file = new ElfImageBuilder()
            .Segment(ElfSegment.Interpreter, ElfSegment.Read, 0x400300, path, (ulong)path.Length)
            .Segment(ElfSegment.Load, ElfSegment.Read, 0x401000, [0], 1)
            .Build();
        Assert.That(Refusal(file), Does.Contain("PT_INTERP"));
    }

    [Test]
    public void AFileWithoutLoadableSegmentsIsRefused()
    {
        byte[] file = new ElfImageBuilder().Segment(ElfSegment.GnuStack, ElfSegment.Read, 0, [], 0).Build();
        Assert.That(Refusal(file), Does.Contain("no loadable"));
    }
}
