using KmlSim.Tests.Kernel.Elf;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Kernel;

/// <summary>
/// The simulated machine has one CPU, so sched_getaffinity reports the mask {0} in one unsigned long (it
/// returns the 8 bytes written, as Linux's cpumask_size() for one CPU), and a mask without CPU 0 is EINVAL.
/// </summary>
public class SingleCpuAffinityTests
{
    [Test]
    public void TheOnlyCpuIsCpuZero()
    {
        RunResult result = ElfImageBuilder.RunProgram(a =>
        {
            a.mov(__qword_ptr[rsp - 256], -1);
            a.mov(eax, 204); // sched_getaffinity(0, 128, rsp - 256): returns 8
            a.xor(edi, edi);
            a.mov(esi, 128);
            a.lea(rdx, __[rsp - 256]);
            a.syscall();
            a.mov(rbx, rax);
            a.add(rbx, __qword_ptr[rsp - 256]); // + the mask, 1
            a.mov(__qword_ptr[rsp - 256], 2); // sched_setaffinity(0, 8, {1}): -EINVAL (-22)
            a.mov(eax, 203);
            a.xor(edi, edi);
            a.mov(esi, 8);
            a.lea(rdx, __[rsp - 256]);
            a.syscall();
            a.sub(rbx, rax); // 9 + 22
            a.mov(edi, ebx);
            a.mov(eax, 231);
            a.syscall();
        }, new MachineOptions());
        Assert.That(result.ExitCode, Is.EqualTo(8 + 1 + 22), result.Message);
    }
}
