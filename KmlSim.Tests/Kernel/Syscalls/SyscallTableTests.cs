using KmlSim.Kernel.Syscalls;
using KmlSim.Observation;

namespace KmlSim.Tests.Kernel.Syscalls;

/// <summary>The system call table follows asm/unistd_64.h (Linux 6.1 UAPI): every number has its name, and a row says what it runs.</summary>
public class SyscallTableTests
{
    [TestCase(0, "read")]
    [TestCase(60, "exit")]
    [TestCase(158, "arch_prctl")]
    [TestCase(231, "exit_group")]
    [TestCase(257, "openat")]
    [TestCase(334, "rseq")]
    [TestCase(335, "syscall_335")]
    [TestCase(424, "pidfd_send_signal")]
    [TestCase(435, "clone3")]
    [TestCase(450, "set_mempolicy_home_node")]
    [TestCase(451, "syscall_451")]
    [TestCase(-1, "syscall_-1")]
    public void NamesFollowTheKernelHeader(long number, string name) => Assert.That(SyscallTable.Of(number).Name, Is.EqualTo(name));

    [TestCase("read", 0)]
    [TestCase("getppid", 110)]
    [TestCase("futex", 202)]
    [TestCase("faccessat2", 439)]
    public void NumbersFollowTheKernelHeader(string name, long number) => Assert.That(SyscallTable.Number(name), Is.EqualTo(number));

    [Test]
    public void EachRowNamesTheCostPathOfItsBody()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SyscallTable.Of(0).Identity, Is.EqualTo(new SyscallIdentity(0, "read", KernelPathId.Read)));
            Assert.That(SyscallTable.Of(110).Identity.Path, Is.EqualTo(KernelPathId.Getppid));
            Assert.That(SyscallTable.Of(2).Identity.Path, Is.EqualTo(KernelPathId.Unestimated), "open has no estimated path of its own");
            Assert.That(SyscallTable.Of(26).Body, Is.Null, "msync is not implemented");
        });
    }
}
