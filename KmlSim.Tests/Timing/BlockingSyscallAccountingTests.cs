using KmlSim.Guests;
using KmlSim.Observation;
using KmlSim.Tests.Kernel.Elf;
using KmlSim.Tests.Kernel.Guests;
using KmlSim.Timing.Profiles;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Timing;

/// <summary>
/// The breakdown of a run where calls block and processes switch (pipestream: a forked writer streams 256 KiB
/// through a pipe to its parent): it adds up, its instruction counts of SYSCALL, SYSRET and SWAPGS agree with the
/// CPU's own counts, and every system call the kernel took is counted once, under its name.
/// </summary>
[Category("Timing")]
public class BlockingSyscallAccountingTests
{
    [Test]
    public void APipeStreamBetweenTwoProcessesIsAccountedCallByCall()
    {
        string binary = GuestRuns.Build("pipestream", GuestToolchain.Glibc);
        RunResult result = GuestRuns.RunSimulated(binary, options: new MachineOptions { KernelMode = KernelMode.Stock, Timing = CpuProfiles.Opteron850 });
        TimingReport timing = result.Timing!;
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Exited), result.Message);
            Assert.That(result.ContextSwitches, Is.GreaterThan(2), "the reader blocked on the pipe");
            Assert.That(timing.Breakdown.Values.Sum(), Is.EqualTo(timing.TotalCycles + timing.IdleCycles));
            Assert.That(timing.InstructionBreakdown[CycleCauses.SyscallInstruction], Is.EqualTo(result.SyscallInstructions));
            Assert.That(timing.InstructionBreakdown[CycleCauses.Sysret], Is.EqualTo(result.SysretInstructions));
            Assert.That(timing.InstructionBreakdown[CycleCauses.Swapgs], Is.EqualTo(result.SwapgsInstructions));
            Assert.That(timing.Syscalls.Values.Sum(call => call.Count), Is.EqualTo(result.Syscalls), "each call counted once, when its body completes");
            Assert.That(timing.Syscalls["write"].Count, Is.EqualTo(64 + 1), "the child's 64 chunks and the parent's printf");
            Assert.That(timing.Syscalls.Values.Sum(call => call.Cycles), Is.LessThanOrEqualTo(timing.TotalCycles + timing.IdleCycles));
            Assert.That(timing.Syscalls["read"].Count, Is.GreaterThanOrEqualTo(256 * 1024 / 1000), "the parent's 1000-byte pieces");
        });
    }

    [Test]
    public void ASleepIsIdleTimeOfItsCall()
    {
        // nanosleep(2 ms) with nothing else to run: the machine idles for at least 2 ms at 2.4 GHz, and that idle
        // time is in the breakdown (which then adds up to total + idle) and in the nanosleep call's span.
        const long SleepCycles = 2 * 2_400_000;
        RunResult result = ElfImageBuilder.RunProgram(a =>
        {
            a.push(2_000_000); // struct timespec { 0 s, 2,000,000 ns } on the stack
            a.push(0);
            a.mov(eax, 35); // nanosleep(rsp, NULL)
            a.mov(rdi, rsp);
            a.xor(esi, esi);
            a.syscall();
            a.mov(eax, 231);
            a.xor(edi, edi);
            a.syscall();
        }, new MachineOptions { KernelMode = KernelMode.Stock, Timing = CpuProfiles.Opteron850 });
        TimingReport timing = result.Timing!;
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Exited), result.Message);
            Assert.That(timing.IdleCycles, Is.GreaterThanOrEqualTo(SleepCycles));
            Assert.That(timing.Breakdown[CycleCauses.Idle], Is.EqualTo(timing.IdleCycles));
            Assert.That(timing.Breakdown.Values.Sum(), Is.EqualTo(timing.TotalCycles + timing.IdleCycles));
            Assert.That(timing.Syscalls["nanosleep"].Breakdown[CycleCauses.Idle], Is.EqualTo(timing.IdleCycles));
        });
    }
}
