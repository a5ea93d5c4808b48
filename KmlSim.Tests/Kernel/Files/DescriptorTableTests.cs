using KmlSim.Kernel.Files;

namespace KmlSim.Tests.Kernel.Files;

/// <summary>Descriptor tables: lowest free number, shared descriptions, close-on-exec, and the copy fork makes.</summary>
public class DescriptorTableTests
{
    [Test]
    public void ACloneSharesDescriptionsSoAPipeStaysOpenUntilBothTablesCloseIt()
    {
        var tree = new VirtualFileSystem(seed: 0);
        (PipeEnd reader, PipeEnd writer) = PipeEnd.Create(tree, 0);
        var parent = new FileDescriptorTable();
        Assert.That(parent.Allocate(reader, closeOnExec: false), Is.Zero);
        Assert.That(parent.Allocate(writer, closeOnExec: true), Is.EqualTo(1));
        FileDescriptorTable child = parent.Clone();
        Assert.Multiple(() =>
        {
            Assert.That(child.Get(1), Is.SameAs(writer));
            Assert.That(child.GetCloseOnExec(1), Is.True);
        });

        parent.Close(1);
        var one = new byte[1];
        Assert.That(reader.Read(one), Is.EqualTo(-KmlSim.Kernel.Syscalls.Errno.EAGAIN), "the child still holds a writer");
        child.CloseOnExec();
        Assert.Multiple(() =>
        {
            Assert.That(child.Get(1), Is.Null);
            Assert.That(reader.Read(one), Is.Zero, "the last writer closed: end of file");
            Assert.That(reader.Poll(), Is.EqualTo(PollEvents.HangUp));
        });
    }

    [Test]
    public void AllocationTakesTheLowestFreeNumberAtOrAboveTheMinimumAndRespectsTheLimit()
    {
        var tree = new VirtualFileSystem(seed: 0);
        var table = new FileDescriptorTable();
        OpenFile File() => new DeviceOpenFile((DeviceNode)tree.Resolve("/dev/null").Node!, OpenFlags.ReadWrite);
        table.Allocate(File(), false);
        table.Allocate(File(), false);
        table.Allocate(File(), false);
        table.Close(1);
        Assert.Multiple(() =>
        {
            Assert.That(table.Allocate(File(), false), Is.EqualTo(1));
            Assert.That(table.Allocate(File(), false, minimum: 10), Is.EqualTo(10));
            Assert.That(table.Allocate(File(), false, minimum: 4, limit: 4), Is.EqualTo(-KmlSim.Kernel.Syscalls.Errno.EMFILE));
        });
    }

    [Test]
    public void APipeHoldsSixtyFourKibibytesAndSmallWritesAreAtomic()
    {
        var buffer = new PipeBuffer { Readers = 1, Writers = 1 };
        var data = new byte[PipeBuffer.Capacity - 100];
        Assert.Multiple(() =>
        {
            Assert.That(buffer.Write(data), Is.EqualTo(data.Length));
            Assert.That(buffer.Write(new byte[200]), Is.EqualTo(-KmlSim.Kernel.Syscalls.Errno.EAGAIN), "200 <= PIPE_BUF: all or nothing");
            Assert.That(buffer.Write(new byte[5000]), Is.EqualTo(100), "larger writes may be partial");
            Assert.That(buffer.Read(new byte[70_000]), Is.EqualTo(PipeBuffer.Capacity));
        });
        buffer.CloseReader();
        Assert.That(buffer.Write(new byte[1]), Is.EqualTo(-KmlSim.Kernel.Syscalls.Errno.EPIPE));
    }
}
