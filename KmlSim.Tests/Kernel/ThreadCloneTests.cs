using KmlSim.Tests.Kernel.Elf;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Kernel;

/// <summary>
/// The raw clone(2) of a thread (glibc itself uses clone3), by the semantics clone(2) and futex(2) give:
/// the parent gets the thread's id (also written at the CLONE_PARENT_SETTID address), the thread runs on the
/// new stack, and its exit zeroes the CLONE_CHILD_CLEARTID word and wakes the futex there, which is what the
/// parent waits on; the thread's exit status (5) is not the process's, which the parent's exit_group sets.
/// </summary>
public class ThreadCloneTests
{
    // CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID
    private const int ThreadFlags = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 | 0x100000 | 0x200000;

    [TestCase(KernelMode.Stock)]
    [TestCase(KernelMode.Kml)]
    public void AThreadsExitWakesTheParentWaitingOnItsClearedTid(KernelMode mode)
    {
        RunResult result = ElfImageBuilder.RunProgram(a =>
        {
            var child = a.CreateLabel();
            var wait = a.CreateLabel();
            var done = a.CreateLabel();
            a.mov(__dword_ptr[rsp - 64], 1); // the child-clear-tid word
            a.mov(eax, 56); // clone(flags, new stack, &ptid, &ctid, tls)
            a.mov(edi, ThreadFlags);
            a.lea(rsi, __[rsp - 0x800]);
            a.lea(rdx, __[rsp - 72]);
            a.lea(r10, __[rsp - 64]);
            a.xor(r8d, r8d);
            a.syscall();
            a.test(eax, eax);
            a.jz(child);
            a.mov(ebx, eax);
            a.Label(ref wait);
            a.mov(edx, __dword_ptr[rsp - 64]); // futex(&ctid, FUTEX_WAIT, value seen, no timeout) until it reads 0
            a.test(edx, edx);
            a.jz(done);
            a.mov(eax, 202);
            a.lea(rdi, __[rsp - 64]);
            a.xor(esi, esi);
            a.xor(r10d, r10d);
            a.syscall();
            a.jmp(wait);
            a.Label(ref done);
            a.mov(edi, 42);
            a.mov(ecx, 1);
            a.cmp(ebx, __dword_ptr[rsp - 72]);
            a.cmovne(edi, ecx); // the parent-set tid differs from clone's result: status 1
            a.mov(eax, 231);
            a.syscall();
            a.Label(ref child);
            a.mov(eax, 60); // exit(5): this thread only
            a.mov(edi, 5);
            a.syscall();
        }, new MachineOptions { KernelMode = mode, Trusted = mode == KernelMode.Kml });
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Exited), result.Message);
            Assert.That(result.ExitCode, Is.EqualTo(42));
            Assert.That(result.UnimplementedSyscalls, Is.Empty);
            Assert.That(result.Processes, Has.Count.EqualTo(1));
        });
    }
}
