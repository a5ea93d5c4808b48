using KmlSim.Tests.Kernel.Elf;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Kernel;

/// <summary>clone for threads is out of scope: it fails with ENOSYS, counted by name, and the process goes on.</summary>
public class ThreadCloneTests
{
    /// <summary>
    /// glibc's pthread_create flags (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
    /// CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CHILD_CLEARTID = 0x3D0F00): clone returns
    /// -ENOSYS (38), which the program turns into its exit code.
    /// </summary>
    [TestCase(KernelMode.Stock)]
    [TestCase(KernelMode.Kml)]
    public void ACloneForAThreadIsEnosysAndCounted(KernelMode mode)
    {
        RunResult result = ElfImageBuilder.RunProgram(a =>
        {
            a.mov(eax, 56);
            a.mov(edi, 0x3D0F00);
            a.xor(esi, esi);
            a.syscall();
            a.neg(eax);
            a.mov(edi, eax);
            a.mov(eax, 231);
            a.syscall();
        }, new MachineOptions { KernelMode = mode, Trusted = mode == KernelMode.Kml });
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(38), result.Message);
            Assert.That(result.UnimplementedSyscalls, Is.EqualTo(new Dictionary<string, long> { ["clone"] = 1 }));
            Assert.That(result.Processes, Has.Count.EqualTo(1));
        });
    }
}
