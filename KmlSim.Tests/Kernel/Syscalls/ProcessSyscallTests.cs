using System.Buffers.Binary;
using System.Text;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Syscalls;
using KmlSim.Tests.Kernel.Elf;
using KmlSim.Tests.Kernel.Process;

namespace KmlSim.Tests.Kernel.Syscalls;

/// <summary>arch_prctl, identity, uname, limits, clocks and getrandom.</summary>
public class ProcessSyscallTests
{
    private const ulong Buffer = ElfImageBuilder.DataAddress;

    [Test]
    public void ArchPrctlSetsAndReadsTheFsAndGsBases()
    {
        GuestProcess p = TestProcess.Idle();
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("arch_prctl", 0x1002, 0x1234_5000), Is.Zero);
            Assert.That(p.Cpu.FsBase, Is.EqualTo(0x1234_5000));
            Assert.That(p.Call("arch_prctl", 0x1001, 0x6789_0000), Is.Zero);
            Assert.That(p.Cpu.GsBase, Is.EqualTo(0x6789_0000));
            Assert.That(p.Call("arch_prctl", 0x1003, Buffer), Is.Zero);
            Assert.That(p.Peek64(Buffer), Is.EqualTo(0x1234_5000));
            Assert.That(p.Call("arch_prctl", 0x1004, Buffer), Is.Zero);
            Assert.That(p.Peek64(Buffer), Is.EqualTo(0x6789_0000));
            Assert.That(p.Call("arch_prctl", 0x1002, 0xFFFF_8000_0000_0000), Is.EqualTo(-Errno.EPERM));
            Assert.That(p.Call("arch_prctl", 0x1003, 0x10), Is.EqualTo(-Errno.EFAULT));
            Assert.That(p.Call("arch_prctl", 0x3001, Buffer), Is.EqualTo(-Errno.EINVAL));
        });
    }

    [Test]
    public void IdentityCallsAgree()
    {
        GuestProcess p = TestProcess.Idle();
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("getpid"), Is.EqualTo(ProcessIdentity.ProcessId));
            Assert.That(p.Call("gettid"), Is.EqualTo(ProcessIdentity.ProcessId));
            Assert.That(p.Call("set_tid_address", Buffer), Is.EqualTo(ProcessIdentity.ProcessId));
            Assert.That(p.ClearChildTid, Is.EqualTo(Buffer));
            Assert.That(p.Call("getuid"), Is.EqualTo(ProcessIdentity.UserId));
            Assert.That(p.Call("getegid"), Is.EqualTo(ProcessIdentity.GroupId));
            Assert.That(p.Call("set_robust_list", Buffer, 24), Is.Zero);
            Assert.That(p.Call("set_robust_list", Buffer, 16), Is.EqualTo(-Errno.EINVAL));
        });
    }

    [Test]
    public void UnameReportsLinuxOnX8664()
    {
        GuestProcess p = TestProcess.Idle();
        Assert.That(p.Call("uname", Buffer), Is.Zero);
        string Field(int i) => Encoding.ASCII.GetString(p.Peek(Buffer + (ulong)(65 * i), 65)).TrimEnd('\0');
        Assert.Multiple(() =>
        {
            Assert.That(Field(0), Is.EqualTo("Linux"));
            Assert.That(Field(2), Does.StartWith("6."));
            Assert.That(Field(4), Is.EqualTo("x86_64"));
        });
    }

    [Test]
    public void TheStackLimitIsEightMibAndLimitsCanBeLoweredButNotRaised()
    {
        GuestProcess p = TestProcess.Idle();
        Assert.That(p.Call("prlimit64", 0, 3, 0, Buffer), Is.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(p.Peek64(Buffer), Is.EqualTo(8UL << 20));
            Assert.That(p.Peek64(Buffer + 8), Is.EqualTo(ulong.MaxValue), "RLIM_INFINITY");
        });
        var limit = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(limit, 100);
        BinaryPrimitives.WriteUInt64LittleEndian(limit.AsSpan(8), 200);
        p.Poke(Buffer + 0x100, limit);
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("setrlimit", 7, Buffer + 0x100), Is.Zero);
            Assert.That(p.Call("getrlimit", 7, Buffer), Is.Zero);
            Assert.That(p.Peek64(Buffer), Is.EqualTo(100));
            BinaryPrimitives.WriteUInt64LittleEndian(limit.AsSpan(8), 300);
            p.Poke(Buffer + 0x100, limit);
            Assert.That(p.Call("setrlimit", 7, Buffer + 0x100), Is.EqualTo(-Errno.EPERM));
            Assert.That(p.Call("prlimit64", 4242, 3, 0, Buffer), Is.EqualTo(-Errno.ESRCH));
            Assert.That(p.Call("getrlimit", 99, Buffer), Is.EqualTo(-Errno.EINVAL));
        });
    }

    [Test]
    public void ClocksFollowTheRetiredInstructionCountAtTwelveInstructionsPerFiveNanoseconds()
    {
        GuestProcess p = TestProcess.Assemble(a =>
        {
            var top = a.CreateLabel();
            a.Label(ref top);
            a.jmp(top);
        });
        SyscallEmulationRunner.Run(p, 24_000);
        Assert.That(p.Call("clock_gettime", 1, Buffer), Is.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(p.Peek64(Buffer), Is.EqualTo(100), "seconds since boot");
            Assert.That(p.Peek64(Buffer + 8), Is.EqualTo(10_000), "24,000 instructions at 2.4 GHz");
            Assert.That(p.Call("clock_gettime", 0, Buffer), Is.Zero);
            Assert.That(p.Peek64(Buffer), Is.EqualTo(1_104_537_600), "2005-01-01");
            Assert.That(p.Call("time", 0), Is.EqualTo(1_104_537_600));
            Assert.That(p.Call("gettimeofday", Buffer, 0), Is.Zero);
            Assert.That(p.Peek64(Buffer + 8), Is.EqualTo(10), "microseconds");
            Assert.That(p.Call("clock_gettime", 99, Buffer), Is.EqualTo(-Errno.EINVAL));
        });
    }

    [Test]
    public void GetrandomIsDeterministicForASeed()
    {
        GuestProcess a = TestProcess.Idle(seed: 9), b = TestProcess.Idle(seed: 9), c = TestProcess.Idle(seed: 10);
        foreach (GuestProcess p in new[] { a, b, c })
        {
            Assert.That(p.Call("getrandom", Buffer, 64, 1), Is.EqualTo(64));
        }

        Assert.Multiple(() =>
        {
            Assert.That(b.Peek(Buffer, 64), Is.EqualTo(a.Peek(Buffer, 64)));
            Assert.That(c.Peek(Buffer, 64), Is.Not.EqualTo(a.Peek(Buffer, 64)));
            Assert.That(a.Call("getrandom", Buffer, 8, 0x100), Is.EqualTo(-Errno.EINVAL));
        });
    }

    [Test]
    public void FutexWakeFindsNoWaiterAndAWaitOnAChangedWordReturnsAtOnce()
    {
        GuestProcess p = TestProcess.Idle();
        p.Poke(Buffer, [5, 0, 0, 0]);
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("futex", Buffer, 1 | 128, 1), Is.Zero, "FUTEX_WAKE_PRIVATE");
            Assert.That(p.Call("futex", Buffer, 0 | 128, 4), Is.EqualTo(-Errno.EAGAIN), "FUTEX_WAIT on a changed word");
            Assert.That(p.Call("futex", Buffer, 0, 5, Buffer + 64), Is.EqualTo(-Errno.ETIMEDOUT), "with a timeout");
            Assert.That(p.Ending, Is.Null);
        });
    }

    [Test]
    public void AFutexWaitNoThreadCanEndIsADeadlockError()
    {
        GuestProcess p = TestProcess.Idle();
        p.Call("futex", Buffer, 0, 0);
        Assert.Multiple(() =>
        {
            Assert.That(p.Ending?.Outcome, Is.EqualTo(RunOutcome.Error));
            Assert.That(p.Ending?.Message, Does.Contain("deadlock"));
        });
    }

    [Test]
    public void ASignalToItselfKillsUnlessIgnoredByDefault()
    {
        GuestProcess p = TestProcess.Idle();
        Assert.Multiple(() =>
        {
            Assert.That(p.Call("tgkill", 4242, 4242, 6), Is.EqualTo(-Errno.ESRCH));
            Assert.That(p.Call("kill", ProcessIdentity.ProcessId, 0), Is.Zero, "signal 0 only checks");
            Assert.That(p.Call("kill", ProcessIdentity.ProcessId, 17), Is.Zero, "SIGCHLD is ignored");
            Assert.That(p.Ending, Is.Null);
            Assert.That(p.Call("tgkill", ProcessIdentity.ProcessId, ProcessIdentity.ProcessId, 6), Is.Zero);
            Assert.That(p.Ending?.Outcome, Is.EqualTo(RunOutcome.Signaled));
            Assert.That(p.Ending?.Signal, Is.EqualTo(6));
            Assert.That(p.Ending?.Message, Does.StartWith("SIGABRT"));
        });
    }
}
