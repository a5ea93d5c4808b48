using KmlSim.Tests.Kernel.Elf;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.KernelModes;

/// <summary>
/// A process that spins without system calls is preempted by the timer, also in ring 0 under KML: the
/// parent forks a spinning child, yields to it, and still gets the CPU back to kill it with SIGKILL and
/// collect its status (which it returns as exit code: 9, killed by SIGKILL).
/// </summary>
public class PreemptionTests
{
    [TestCase(KernelMode.Stock, false)]
    [TestCase(KernelMode.Kml, true)]
    public void ASpinnerWithoutSystemCallsIsPreemptedSoItsParentRuns(KernelMode mode, bool trusted)
    {
        byte[] image = ElfImageBuilder.Program(a =>
        {
            var child = a.CreateLabel();
            a.mov(eax, 57); // fork
            a.syscall();
            a.test(eax, eax);
            a.jz(child);
            a.mov(r12d, eax);
            a.mov(eax, 24); // sched_yield: the child runs until its time slice ends
            a.syscall();
            a.mov(edi, r12d);
            a.mov(esi, 9);
            a.mov(eax, 62); // kill(child, SIGKILL)
            a.syscall();
            a.sub(rsp, 16);
            a.mov(edi, r12d);
            a.mov(rsi, rsp);
            a.xor(edx, edx);
            a.xor(r10d, r10d);
            a.mov(eax, 61); // wait4(child, &status, 0, NULL)
            a.syscall();
            a.mov(edi, __dword_ptr[rsp]);
            a.mov(eax, 231);
            a.syscall();
            a.Label(ref child);
            a.jmp(child);
        });
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, image);
            var machine = new Machine(new MachineOptions { KernelMode = mode, Trusted = trusted });
            machine.Start(path);
            RunResult result = machine.Run(RunLimits.Instructions(100_000_000));
            Assert.Multiple(() =>
            {
                Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Exited), result.Message);
                Assert.That(result.ExitCode, Is.EqualTo(9), "wait4 status of a child killed by SIGKILL");
                Assert.That(result.TimerInterrupts, Is.GreaterThanOrEqualTo(10), "a full time slice of the spinner passed");
            });
        }
        finally
        {
            File.Delete(path);
        }
    }
}
