using KmlSim.Kernel.Syscalls;

namespace KmlSim.Tests.Kernel.Syscalls;

/// <summary>The generated name table follows asm/unistd_64.h.</summary>
public class SyscallNamesTests
{
    [TestCase(0, "read")]
    [TestCase(60, "exit")]
    [TestCase(158, "arch_prctl")]
    [TestCase(231, "exit_group")]
    [TestCase(257, "openat")]
    [TestCase(334, "rseq")]
    [TestCase(335, "syscall_335")]
    [TestCase(424, "pidfd_send_signal")]
    [TestCase(450, "set_mempolicy_home_node")]
    [TestCase(-1, "syscall_-1")]
    public void NamesFollowTheKernelHeader(long number, string name) => Assert.That(SyscallNames.Of(number), Is.EqualTo(name));
}
