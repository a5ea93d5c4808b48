using Iced.Intel;
using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Memory;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Interrupts;

/// <summary>
/// The local timer and external interrupts at instruction boundaries (taken only with RFLAGS.IF = 1, after
/// STI's one-instruction shadow), HLT waiting for them, and the stack they are delivered on: RSP0 from
/// CPL 3, the interrupted stack at CPL 0 without IST (which overwrites a ring-0 process's red zone, the
/// seed article's second argument for IST), an IST stack when the gate names one.
/// </summary>
[Category("Privilege")]
public class LocalTimerTests
{
    private const byte TimerVector = 0x20;
    private const ulong RingZeroStack = 0x4F_F000; // a ring-0 "user" process's stack, below the kernel's
    private const ulong Pattern = 0x5A5A_5A5A_5A5A_5A5AUL;

    [Test]
    public void TimerAtCpl3SwitchesToRsp0AndSavesTheUserFrame()
    {
        var k = new KernelMachine();
        k.StopOn((ExceptionVector)TimerVector);
        byte[] code = k.User(a =>
        {
            var spin = a.CreateLabel();
            a.Label(ref spin);
            a.jmp(spin);
        });
        k.Cpu.Timer.Start(TimerVector, 10);

        Assert.That(k.Machine.Run(1000), Is.EqualTo(StopReason.Halted));
        Assert.Multiple(() =>
        {
            Assert.That(k.Cpu.GetRegister(Gpr.Rsp), Is.EqualTo(KernelMachine.KernelStackTop - 40), "RSP0");
            Assert.That(k.Frame(5), Is.EqualTo(new[]
            {
                KernelMachine.UserCode, SystemTables.UserCode, RFlags.Reserved1 | RFlags.IF,
                KernelMachine.UserStackTop - 0x100, SystemTables.UserData,
            }));
            Assert.That(k.Cpu.InstructionsRetired, Is.EqualTo(11), "10 JMPs, then the handler's HLT");
            Assert.That(k.Cpu.Timer.Expiries, Is.EqualTo(1));
            Assert.That(code, Has.Length.EqualTo(2));
        });
    }

    [Test]
    public void TimerAtCpl0WithoutIstStaysOnTheInterruptedStackAlignedTo16()
    {
        var k = new KernelMachine();
        k.StopOn((ExceptionVector)TimerVector);
        k.Kernel(
            a =>
            {
                var spin = a.CreateLabel();
                a.mov(rsp, (long)(KernelMachine.KernelStackTop - 0x1008));
                a.Label(ref spin);
                a.jmp(spin);
            },
            interruptsEnabled: true);
        k.Cpu.Timer.Start(TimerVector, 5);

        Assert.That(k.Machine.Run(1000), Is.EqualTo(StopReason.Halted));
        Assert.Multiple(() =>
        {
            Assert.That(k.Cpu.GetRegister(Gpr.Rsp), Is.EqualTo(KernelMachine.KernelStackTop - 0x1010 - 40), "no switch; RSP rounded down to 16 first");
            Assert.That(k.Frame(5), Is.EqualTo(new[]
            {
                KernelMachine.KernelCode + 10, SystemTables.KernelCode, RFlags.Reserved1 | RFlags.IF,
                KernelMachine.KernelStackTop - 0x1008, SystemTables.KernelData,
            }));
            Assert.That(k.Cpu.Selectors[2], Is.EqualTo(SystemTables.KernelData), "no privilege change: SS kept");
        });
    }

    [TestCase(0, false, ExpectedResult = false, TestName = "RedZoneAtCpl0WithoutIstIsCorrupted")]
    [TestCase(0, true, ExpectedResult = true, TestName = "RedZoneAtCpl0WithIstIsIntact")]
    [TestCase(3, false, ExpectedResult = true, TestName = "RedZoneAtCpl3WithoutIstIsIntact")]
    [TestCase(3, true, ExpectedResult = true, TestName = "RedZoneAtCpl3WithIstIsIntact")]
    public bool RedZoneSurvivesTimerInterrupts(int cpl, bool ist)
    {
        var k = new KernelMachine();
        k.Gate(TimerVector, k.Handler(a => a.iretq()), ist: ist ? 1 : 0);
        k.Machine.Map(RingZeroStack - 0x1000, 0x1000, PageFlags.Writable | PageFlags.User);
        Action<Assembler> process = a =>
        {
            var loop = a.CreateLabel();
            var spin = a.CreateLabel();
            a.mov(rsp, (long)RingZeroStack);
            a.mov(rax, (long)Pattern);
            a.lea(rdi, __[rsp - 128]);
            a.mov(ecx, 16);
            a.rep.stosq();
            a.mov(ecx, 2000);
            a.Label(ref loop);
            a.dec(ecx);
            a.jnz(loop);
            a.Label(ref spin);
            a.jmp(spin);
        };
        if (cpl == 0)
        {
            k.Kernel(process, interruptsEnabled: true);
        }
        else
        {
            k.User(process);
        }

        k.Cpu.Timer.Start(TimerVector, 97);
        Assert.That(k.Machine.Run(8000), Is.EqualTo(StopReason.InstructionLimit));
        Assert.That(k.Cpu.Timer.Expiries, Is.GreaterThan(20), "the timer fired during the loop");
        Assert.That(k.Cpu.Cpl, Is.EqualTo(cpl), "back in the process after every interrupt");
        byte[] redZone = k.Machine.Peek(RingZeroStack - 128, 128);
        return redZone.All(b => b == 0x5A);
    }

    [Test]
    public void HltWithInterruptsEnabledWaitsForTheTimer()
    {
        var k = new KernelMachine();
        k.Gate(TimerVector, k.Handler(a =>
        {
            a.mov(eax, 42);
            a.iretq();
        }));
        k.Kernel(a =>
        {
            a.sti();
            a.hlt();
            a.mov(rbx, rax);
            a.cli();
            a.hlt();
        });
        k.Cpu.Timer.Start(TimerVector, 1_000_000);

        Assert.That(k.Machine.Run(100), Is.EqualTo(StopReason.Halted), "the final HLT with IF = 0 stops");
        Assert.Multiple(() =>
        {
            Assert.That(k.Cpu.GetRegister(Gpr.Rbx), Is.EqualTo(42), "the handler ran, then execution resumed after HLT");
            Assert.That(k.Cpu.Timer.Expiries, Is.EqualTo(1));
            Assert.That(k.Cpu.Timer.Clock.Now, Is.GreaterThanOrEqualTo(1_000_000), "time skipped to the expiry");
            Assert.That(k.Cpu.InstructionsRetired, Is.EqualTo(7));
        });
    }

    [Test]
    public void HltWithNothingToWaitForStops()
    {
        var k = new KernelMachine();
        k.Kernel(a => a.hlt(), interruptsEnabled: true);

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Cpu.Rip, Is.EqualTo(KernelMachine.KernelCode + 1));
    }

    [Test]
    public void StiShadowLetsOneInstructionRunBeforeAPendingInterrupt()
    {
        var k = new KernelMachine();
        k.StopOn((ExceptionVector)0x40);
        k.Kernel(a =>
        {
            a.sti();
            a.mov(ebx, 1);
            a.mov(ebx, 2);
        });
        k.Cpu.InjectInterrupt(0x40, 0); // pending from the start, masked by IF = 0

        Assert.That(k.Machine.Run(100), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Cpu.GetRegister(Gpr.Rbx), Is.EqualTo(1));
        Assert.That(k.Frame(1)[0], Is.EqualTo(KernelMachine.KernelCode + 1 + 5), "taken after the shadowed MOV");
    }

    [Test]
    public void InjectedInterruptIsTakenAtTheRequestedInstructionCount()
    {
        var k = new KernelMachine();
        k.StopOn((ExceptionVector)0x41);
        k.Kernel(
            a =>
            {
                for (int i = 0; i < 40; i++)
                {
                    a.nop();
                }
            },
            interruptsEnabled: true);
        k.Cpu.InjectInterrupt(0x41, 23);

        Assert.That(k.Machine.Run(100), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Frame(1)[0], Is.EqualTo(KernelMachine.KernelCode + 23));
        Assert.That(k.Cpu.InstructionsRetired, Is.EqualTo(24));
    }

    [Test]
    public void MaskedTimerInterruptWaitsForPopfToSetIf()
    {
        var k = new KernelMachine();
        k.StopOn((ExceptionVector)TimerVector);
        k.Kernel(a =>
        {
            for (int i = 0; i < 30; i++)
            {
                a.nop();
            }

            a.push(0x202);
            a.popfq();
            a.mov(ebx, 1);
        });
        k.Cpu.Timer.Start(TimerVector, 3);

        Assert.That(k.Machine.Run(100), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Frame(1)[0], Is.EqualTo(KernelMachine.KernelCode + 30 + 5 + 1), "right after POPF (no shadow)");
        Assert.That(k.Cpu.GetRegister(Gpr.Rbx), Is.EqualTo(0));
    }

    [Test]
    public void HigherVectorIsTakenFirst()
    {
        var k = new KernelMachine();
        k.StopOn((ExceptionVector)0x30);
        k.Gate(0x50, k.Handler(a =>
        {
            a.mov(ebx, 0x50);
            a.iretq();
        }));
        k.Kernel(a =>
        {
            a.sti();
            a.nop();
            a.nop();
        });
        k.Cpu.InjectInterrupt(0x30, 0);
        k.Cpu.InjectInterrupt(0x50, 0);

        Assert.That(k.Machine.Run(100), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Cpu.GetRegister(Gpr.Rbx), Is.EqualTo(0x50), "0x50 ran and returned before 0x30 stopped the run");
        Assert.That(k.Frame(1)[0], Is.EqualTo(KernelMachine.KernelCode + 2), "both taken after the shadowed NOP");
    }

    [Test]
    public void TimerWithoutAnIdtEndsTheRunAsAFault()
    {
        var m = new SnippetMachine();
        m.LoadCode(0x40_0000, a =>
        {
            var spin = a.CreateLabel();
            a.Label(ref spin);
            a.jmp(spin);
        });
        m.Cpu.Rflags = RFlags.Reserved1 | RFlags.IF;
        m.Cpu.Timer.Start(TimerVector, 50);

        Assert.That(m.Run(), Is.EqualTo(StopReason.Fault));
        Assert.That((byte)m.Cpu.LastFault!.Vector, Is.EqualTo(TimerVector));
        Assert.That(m.Cpu.InstructionsRetired, Is.EqualTo(50));
    }
}
