using System.Buffers.Binary;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;
using KmlSim.Tests.Kernel.Elf;
using KmlSim.Tests.Kernel.Process;

namespace KmlSim.Tests.Kernel.Syscalls;

/// <summary>
/// Blocking, SIGPIPE and readiness at the system call boundary. A lone process (syscall emulation) that
/// would sleep forever ends the run with an error; a process with a waiter joins the wait queue and
/// gets RestartSyscall, and a state change wakes it.
/// </summary>
public class PipeSyscallTests
{
    private const ulong Pair = ElfImageBuilder.DataAddress;
    private const ulong Buffer = ElfImageBuilder.DataAddress + 0x100;

    private static (int Read, int Write) MakePipe(GuestProcess p, int flags = 0)
    {
        Assert.That(p.Call("pipe2", Pair, (ulong)flags), Is.Zero);
        byte[] fds = p.Peek(Pair, 8);
        return (BinaryPrimitives.ReadInt32LittleEndian(fds), BinaryPrimitives.ReadInt32LittleEndian(fds.AsSpan(4)));
    }

    private sealed class CountingWaiter : IWaiter
    {
        public int Wakes { get; private set; }

        public long Deadline { get; set; } = IWaiter.NoDeadline;

        public ulong? SavedMask { get; set; }

        public void Wake() => Wakes++;
    }

    [Test]
    public void AReadOnAnEmptyPipeWhoseOnlyWriterIsTheCallerIsADeadlockNotAHang()
    {
        GuestProcess p = TestProcess.Idle();
        (int read, _) = MakePipe(p);
        p.Call("read", (ulong)read, Buffer, 10);
        Assert.Multiple(() =>
        {
            Assert.That(p.Ending?.Outcome, Is.EqualTo(RunOutcome.Error));
            Assert.That(p.Ending?.Message, Does.Contain("deadlock").And.Contain("read from descriptor 3"));
        });
    }

    [Test]
    public void AReadAfterTheWriterClosedSeesEndOfFileAndANonBlockingReadSeesEagain()
    {
        GuestProcess p = TestProcess.Idle();
        (int read, int write) = MakePipe(p, OpenFlags.NonBlocking);
        Assert.That(p.Call("read", (ulong)read, Buffer, 10), Is.EqualTo(-Errno.EAGAIN));
        p.Call("close", (ulong)write);
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("read", (ulong)read, Buffer, 10), Is.Zero);
            Assert.That(p.Ending, Is.Null);
        });
    }

    [Test]
    public void AWriteWithoutReadersIsEpipeAndSigpipe()
    {
        GuestProcess p = TestProcess.Idle();
        (int read, int write) = MakePipe(p);
        p.Call("close", (ulong)read);
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("write", (ulong)write, Buffer, 1), Is.EqualTo(-Errno.EPIPE));
            Assert.That(p.Ending?.Outcome, Is.EqualTo(RunOutcome.Signaled));
            Assert.That(p.Ending?.Signal, Is.EqualTo(13));
        });
    }

    [Test]
    public void AProcessWithAWaiterSleepsOnTheQueueAndIsWokenByAWrite()
    {
        GuestProcess p = TestProcess.Idle();
        var waiter = new CountingWaiter();
        p.Waiter = waiter;
        (int read, int write) = MakePipe(p);
        p.Call("read", (ulong)read, Buffer, 10); // blocks: the body says RestartSyscall
        Assert.Multiple(() =>
        {
            Assert.That(p.Files.Get(read)!.ReadWaiters!.IsEmpty, Is.False, "the task sleeps on the pipe");
            Assert.That(p.Ending, Is.Null, "a task that can be woken is not a deadlock");
            Assert.That(waiter.Wakes, Is.Zero);
        });
        p.Poke(Buffer + 0x40, "hi"u8);
        Assert.That(p.Call("write", (ulong)write, Buffer + 0x40, 2), Is.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(waiter.Wakes, Is.EqualTo(1));
            Assert.That(p.Call("read", (ulong)read, Buffer, 10), Is.EqualTo(2), "the restarted call completes");
            Assert.That(p.Ending, Is.Null);
        });
    }

    [Test]
    public void PollReportsReadinessAndAnInfiniteWaitWithNothingReadyIsADeadlock()
    {
        GuestProcess p = TestProcess.Idle();
        (int read, int write) = MakePipe(p);
        var pollfds = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(pollfds, read);
        BinaryPrimitives.WriteInt16LittleEndian(pollfds.AsSpan(4), (short)PollEvents.In);
        BinaryPrimitives.WriteInt32LittleEndian(pollfds.AsSpan(8), write);
        BinaryPrimitives.WriteInt16LittleEndian(pollfds.AsSpan(12), (short)PollEvents.Out);
        p.Poke(Buffer, pollfds);
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("poll", Buffer, 2, 0), Is.EqualTo(1));
            Assert.That(BinaryPrimitives.ReadInt16LittleEndian(p.Peek(Buffer + 6, 2)), Is.Zero);
            Assert.That(BinaryPrimitives.ReadInt16LittleEndian(p.Peek(Buffer + 14, 2)), Is.EqualTo((short)PollEvents.Out));
            Assert.That(p.Call("poll", Buffer, 1, 5), Is.Zero, "a finite timeout expires");
        });
        p.Call("poll", Buffer, 1, unchecked((ulong)-1));
        Assert.That(p.Ending?.Message, Does.Contain("deadlock"));
    }

    [Test]
    public void LseekOnAPipeOrSocketIsEspipeAndDupSharesTheOffsetOfAFile()
    {
        GuestProcess p = TestProcess.Idle();
        (int read, _) = MakePipe(p);
        Assert.That(p.Call("lseek", (ulong)read, 0, 0), Is.EqualTo(-Errno.ESPIPE));
        Assert.That(p.Call("socketpair", 1, 1, 0, Pair), Is.Zero);
        int socket = BinaryPrimitives.ReadInt32LittleEndian(p.Peek(Pair, 4));
        Assert.That(p.Call("lseek", (ulong)socket, 0, 0), Is.EqualTo(-Errno.ESPIPE));

        p.Poke(Buffer, "/tmp/f\0"u8);
        long fd = p.Call("open", Buffer, (ulong)(OpenFlags.Create | OpenFlags.ReadWrite), 0x1A4);
        long copy = p.Call("dup", (ulong)fd);
        p.Call("write", (ulong)fd, Buffer, 6);
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("lseek", (ulong)copy, 0, 1), Is.EqualTo(6), "SEEK_CUR through the copy");
            Assert.That(p.Call("fcntl", (ulong)fd, 3), Is.EqualTo(OpenFlags.ReadWrite | OpenFlags.LargeFile));
        });
    }
}
