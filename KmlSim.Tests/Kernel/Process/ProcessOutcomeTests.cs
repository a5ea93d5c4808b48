using System.Text;
using Iced.Intel;
using KmlSim.Interrupts;
using KmlSim.Kernel.Process;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Kernel.Process;

/// <summary>How a process ends: exit, a signal for a CPU exception (naming the instruction), the instruction limit.</summary>
public class ProcessOutcomeTests
{
    private static void ExitGroup(Assembler a, int status)
    {
        a.mov(eax, 231);
        a.mov(edi, status);
        a.syscall();
    }

    [Test]
    public void ExitGroupEndsTheProcessWithItsStatus()
    {
        GuestProcess p = TestProcess.Assemble(a => ExitGroup(a, 42));
        ProcessStop stop = SyscallEmulationRunner.Run(p, 1000);
        Assert.Multiple(() =>
        {
            Assert.That(stop.Outcome, Is.EqualTo(RunOutcome.Exited));
            Assert.That(p.ExitCode, Is.EqualTo(42));
            Assert.That(p.SyscallCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void OnlyTheLowEightBitsOfTheExitStatusSurvive()
    {
        GuestProcess p = TestProcess.Assemble(a => ExitGroup(a, 0x1234));
        SyscallEmulationRunner.Run(p, 1000);
        Assert.That(p.ExitCode, Is.EqualTo(0x34));
    }

    [Test]
    public void WritesToStdoutAreCapturedAndSyscallsPreserveOtherRegisters()
    {
        GuestProcess p = TestProcess.Assemble(a =>
        {
            var message = a.CreateLabel();
            a.mov(r12, 0x1122334455667788);
            a.mov(eax, 1);
            a.mov(edi, 1);
            a.lea(rsi, __[message]);
            a.mov(edx, 3);
            a.syscall();
            a.mov(rbx, rax); // bytes written
            a.mov(eax, 1);
            a.mov(edi, 2);
            a.lea(rsi, __[message]);
            a.mov(edx, 2);
            a.syscall();
            a.cmp(r12, rbx); // keeps r12 for inspection
            a.mov(eax, 231);
            a.mov(edi, ebx);
            a.syscall();
            a.Label(ref message);
            a.db("hi\n"u8.ToArray());
        });
        SyscallEmulationRunner.Run(p, 1000);
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.ASCII.GetString(p.Stdout.ToArray()), Is.EqualTo("hi\n"));
            Assert.That(Encoding.ASCII.GetString(p.Stderr.ToArray()), Is.EqualTo("hi"));
            Assert.That(p.ExitCode, Is.EqualTo(3));
            Assert.That(p.Cpu.GetRegister(Isa.Gpr.R12), Is.EqualTo(0x1122334455667788));
        });
    }

    [Test]
    public void Ud2KillsWithSigillNamingTheInstruction()
    {
        GuestProcess p = TestProcess.Assemble(a => a.ud2());
        ProcessStop stop = SyscallEmulationRunner.Run(p, 1000);
        Assert.Multiple(() =>
        {
            Assert.That(stop.Outcome, Is.EqualTo(RunOutcome.Signaled));
            Assert.That(stop.Signal, Is.EqualTo(4));
            Assert.That(stop.Message, Does.StartWith("SIGILL (#UD)").And.Contain("ud2").And.Contain("0x401000"));
        });
    }

    [Test]
    public void AnAvxInstructionKillsWithSigillNamingIt()
    {
        GuestProcess p = TestProcess.Assemble(a => a.vaddps(ymm2, ymm1, ymm0));
        ProcessStop stop = SyscallEmulationRunner.Run(p, 1000);
        Assert.Multiple(() =>
        {
            Assert.That(stop.Signal, Is.EqualTo(4));
            Assert.That(stop.Message, Does.Contain("vaddps ymm2,ymm1,ymm0"));
        });
    }

    [Test]
    public void ANullPointerWriteKillsWithSigsegv()
    {
        GuestProcess p = TestProcess.Assemble(a =>
        {
            a.xor(eax, eax);
            a.mov(__dword_ptr[rax + 8], ecx);
        });
        ProcessStop stop = SyscallEmulationRunner.Run(p, 1000);
        Assert.Multiple(() =>
        {
            Assert.That(stop.Signal, Is.EqualTo(11));
            Assert.That(stop.Message, Does.StartWith("SIGSEGV (#PF").And.Contain("accessing 0x8"));
        });
    }

    [Test]
    public void Int3KillsWithSigtrap() =>
        Assert.That(SyscallEmulationRunner.Run(TestProcess.Assemble(a => a.int3()), 1000).Signal, Is.EqualTo(5));

    [Test]
    public void HltInUserModeKillsWithSigsegv() =>
        Assert.That(SyscallEmulationRunner.Run(TestProcess.Assemble(a => a.hlt()), 1000).Signal, Is.EqualTo(11));

    [TestCase(ExceptionVector.PageFault, 11)]
    [TestCase(ExceptionVector.GeneralProtection, 11)]
    [TestCase(ExceptionVector.StackFault, 7)] // a push with a non-canonical RSP natively: SIGBUS (faults.c)
    [TestCase(ExceptionVector.InvalidOpcode, 4)]
    [TestCase(ExceptionVector.DivideError, 8)]
    [TestCase(ExceptionVector.X87FloatingPoint, 8)]
    [TestCase(ExceptionVector.SimdFloatingPoint, 8)]
    [TestCase(ExceptionVector.Breakpoint, 5)]
    [TestCase(ExceptionVector.AlignmentCheck, 7)]
    public void ExceptionsMapToTheSignalsLinuxSends(ExceptionVector vector, int signal) =>
        Assert.That(FatalSignal.For(vector), Is.EqualTo(signal));

    [Test]
    public void AnEndlessLoopStopsAtTheInstructionLimitAndCanContinue()
    {
        GuestProcess p = TestProcess.Assemble(a =>
        {
            var top = a.CreateLabel();
            a.Label(ref top);
            a.jmp(top);
        });
        ProcessStop first = SyscallEmulationRunner.Run(p, 1000);
        long afterFirst = p.Cpu.InstructionsRetired;
        ProcessStop second = SyscallEmulationRunner.Run(p, 500);
        Assert.Multiple(() =>
        {
            Assert.That(first.Outcome, Is.EqualTo(RunOutcome.Limit));
            Assert.That(afterFirst, Is.EqualTo(1000));
            Assert.That(second.Outcome, Is.EqualTo(RunOutcome.Limit));
            Assert.That(p.Cpu.InstructionsRetired, Is.EqualTo(1500));
        });
    }
}
