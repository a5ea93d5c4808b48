using System.Text;
using KmlSim.Guests;
using KmlSim.Tests.Kernel.Elf;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Kernel.Guests;

/// <summary>
/// Exceptions raised by processes, as Linux reports them: each case of the faults.c and kernelhalf.c guests
/// (signal, si_code, si_addr, the saved trapno, err and cr2, the saved RIP) compared with a native run on
/// this machine; a process that points the CPU at the kernel half gets its own SIGSEGV and the machine goes
/// on, under Stock and for a ring-0 process under KML.
/// </summary>
public class TrapGuestTests
{
    [TestCase("read unmapped")]
    [TestCase("write unmapped")]
    [TestCase("write read-only")]
    [TestCase("read PROT_NONE")]
    [TestCase("execute no-exec")]
    [TestCase("read kernel half")]
    [TestCase("call kernel half")]
    [TestCase("read non-canonical")]
    [TestCase("divide by zero")]
    [TestCase("divide overflow")]
    [TestCase("ud2")]
    [TestCase("hlt")]
    [TestCase("cli")]
    [TestCase("int 0x81")]
    [TestCase("int3")]
    [TestCase("in al, dx")]
    [TestCase("out imm8, al")]
    [TestCase("insb")]
    [TestCase("outsw")]
    [TestCase("popf TF")]
    [TestCase("sse divide by zero unmasked")]
    [TestCase("x87 divide by zero unmasked")]
    [TestCase("alignment check")]
    [TestCase("stack non-canonical")]
    public void FaultIsReportedAsOnTheHost(string faultCase) => GuestRuns.AssertSameAsNative("faults", KernelMode.Stock, faultCase);

    /// <summary>Every faults.c case in one process: the trap number, error code and CR2 each leaves in later frames (Linux keeps them per thread) too.</summary>
    [Test]
    public void FaultsInSequenceAreReportedAsOnTheHost() => GuestRuns.AssertSameAsNative("faults", KernelMode.Stock);

    [TestCase("handler in the kernel half")]
    [TestCase("rt_sigreturn to a non-canonical address")]
    [TestCase("rt_sigreturn into the kernel half")]
    [TestCase("vsyscall")]
    [TestCase("vsyscall gettimeofday with a bad pointer")]
    [TestCase("call into the vsyscall page off an entry")]
    [TestCase("read the vsyscall page")]
    [TestCase("write the vsyscall page")]
    public void KernelHalfTargetIsTheProcesssFaultAsOnTheHost(string kernelHalfCase) =>
        GuestRuns.AssertSameAsNative("kernelhalf", KernelMode.Stock, kernelHalfCase);

    /// <summary>Every kernelhalf.c case in one process, so that the trap state each leaves in later frames is checked too.</summary>
    [Test]
    public void KernelHalfCasesInSequenceAreAsOnTheHost() => GuestRuns.AssertSameAsNative("kernelhalf", KernelMode.Stock);

    /// <summary>
    /// The vsyscall page's entries run in user mode, as in 2.6.11: 1,000 calls of gettimeofday make no system
    /// call and add no system time, and cost user time: at least the path's CPUID (127 cycles) and RDTSC (7)
    /// each. The third entry returns -ENOSYS (2.6.11's venosys_0; not comparable natively, where getcpu is there).
    /// </summary>
    [Test]
    public void VsyscallEntriesRunInUserTimeWithoutASystemCall()
    {
        const int calls = 1000;
        RunResult Loop(bool vsyscall) => ElfImageBuilder.RunProgram(a =>
        {
            var top = a.CreateLabel();
            a.mov(ebx, calls);
            a.Label(ref top);
            a.lea(rdi, __[rsp - 64]);
            a.xor(esi, esi);
            if (vsyscall)
            {
                a.mov(rax, 0xFFFF_FFFF_FF60_0000UL);
                a.call(rax);
            }
            else
            {
                a.nop();
                a.nop();
            }

            a.dec(ebx);
            a.jnz(top);
            a.mov(rax, 0xFFFF_FFFF_FF60_0800UL);
            a.call(rax);
            a.mov(edi, eax);
            a.neg(edi); // exit status 38 = ENOSYS
            a.mov(eax, 60);
            a.syscall();
        }, new MachineOptions { Timing = KmlSim.Timing.Profiles.CpuProfiles.Opteron850 });
        RunResult with = Loop(true), without = Loop(false);
        Assert.Multiple(() =>
        {
            Assert.That(with.Outcome, Is.EqualTo(RunOutcome.Exited), with.Message);
            Assert.That(with.ExitCode, Is.EqualTo(38), "venosys_0 returns -ENOSYS");
            Assert.That(with.Syscalls, Is.EqualTo(without.Syscalls), "no system call");
            long user = with.Timing!.UserCycles - without.Timing!.UserCycles;
            Assert.That(user, Is.GreaterThan(calls * (127L + 7)), "user time");
            Assert.That(with.Timing.SystemCycles - without.Timing.SystemCycles, Is.LessThan(user / 20), "no system time (a timer tick more at most)");
        });
    }

    /// <summary>
    /// A ring-0 process's own code is the process's context: its jump into the kernel half, its handler
    /// there and its forged return frames end in its SIGSEGV (not natively comparable: the host has no
    /// ring-0 processes; the saved RIP is the target, as for a ring-3 process).
    /// </summary>
    [TestCase("handler in the kernel half", "rip 0xffffffff81000000 trapno 14")]
    [TestCase("rt_sigreturn to a non-canonical address", "rip 0x900000000000 trapno 13 err 0")]
    [TestCase("rt_sigreturn into the kernel half", "rip 0xffffffff81000000 trapno 14")]
    public void KernelHalfTargetIsTheRingZeroProcesssFault(string kernelHalfCase, string report)
    {
        string binary = GuestRuns.Build("kernelhalf", GuestToolchain.Glibc);
        RunResult run = GuestRuns.RunSimulated(binary, options: new MachineOptions { KernelMode = KernelMode.Kml, Trusted = true }, arguments: kernelHalfCase);
        Assert.Multiple(() =>
        {
            Assert.That(run.Outcome, Is.EqualTo(RunOutcome.Exited), run.Message);
            Assert.That(Encoding.UTF8.GetString(run.Stdout), Does.Contain("signal 11").And.Contain(report));
        });
    }

    /// <summary>Linux refuses an entry point at or above TASK_SIZE after exec's point of no return: SIGSEGV, natively too.</summary>
    [TestCase(KernelMode.Stock)]
    [TestCase(KernelMode.Kml)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void EntryPointInTheKernelHalfIsSigsegv(KernelMode mode)
    {
        byte[] image = ElfImageBuilder.Program(a => a.hlt());
        BitConverter.TryWriteBytes(image.AsSpan(24), 0xFFFF_FFFF_8000_0000UL); // e_entry: the simulated kernel's text
        string path = Path.Combine(Path.GetTempPath(), $"kmlsim-kernel-entry-{Environment.ProcessId}-{mode}");
        try
        {
            File.WriteAllBytes(path, image);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
            (_, int nativeExit) = GuestRuns.RunNative(path);
            var machine = new Machine(new MachineOptions { KernelMode = mode, Trusted = mode == KernelMode.Kml });
            machine.Start(path);
            RunResult run = machine.Run(RunLimits.Instructions(1_000_000));
            Assert.Multiple(() =>
            {
                Assert.That(nativeExit, Is.EqualTo(128 + 11), "natively: killed by SIGSEGV");
                Assert.That(run.Outcome, Is.EqualTo(RunOutcome.Signaled), run.Message);
                Assert.That(run.Signal, Is.EqualTo(11));
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A user jump into the kernel's own text (mapped, supervisor) is the process's SIGSEGV, not an oops.</summary>
    [Test]
    public void JumpIntoKernelTextIsSigsegv()
    {
        RunResult run = ElfImageBuilder.RunProgram(a =>
        {
            a.mov(rax, 0xFFFF_FFFF_8000_0000UL);
            a.jmp(rax);
        }, new MachineOptions());
        Assert.Multiple(() =>
        {
            Assert.That(run.Outcome, Is.EqualTo(RunOutcome.Signaled), run.Message);
            Assert.That(run.Signal, Is.EqualTo(11));
        });
    }
}
