using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Tests.Interrupts;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Execution;

/// <summary>
/// Unmasked x87 exceptions, against AMD64 APM vol. 1 §6.4.4: the faulting operation only records the flag
/// (with ES and B); the next waiting x87 instruction raises #MF before it executes, the no-wait control
/// instructions (FNSTSW here) do not.
/// </summary>
[Category("Privilege")]
public class X87PendingExceptionTests
{
    [Test]
    public void UnmaskedDivideByZeroRaisesMathFaultAtTheNextWaitingInstruction()
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.X87FloatingPoint);
        byte[] code = k.User(a =>
        {
            a.fld1();
            a.fldz();
            a.fdivp(st1, st0); // 1 / 0 with ZE unmasked: ZE, ES and B are set, nothing traps yet
            a.fnstsw(ax);      // no-wait: stores the status word
            a.wait();          // waits: #MF here
        });
        k.Cpu.Fcw = 0x037F & ~0x4;

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        ulong[] frame = k.Frame(2);
        Assert.Multiple(() =>
        {
            Assert.That(frame[0], Is.EqualTo(KernelMachine.UserCode + (ulong)code.Length - 1), "RIP of the FWAIT (a fault)");
            Assert.That(k.Cpu.GetRegister(Gpr.Rax) & 0x80FF, Is.EqualTo(0x8084), "FNSTSW saw B, ES and ZE");
        });
    }

    [Test]
    public void MaskedExceptionsRaiseNothing()
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.X87FloatingPoint);
        k.StopOn(ExceptionVector.GeneralProtection);
        k.User(a =>
        {
            a.fld1();
            a.fldz();
            a.fdivp(st1, st0);
            a.wait();
            a.hlt(); // #GP at CPL 3: the run ends in that handler
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Frame(2)[1], Is.EqualTo(KernelMachine.UserCode + 2 + 2 + 2 + 1), "the #GP of the HLT, after the FWAIT");
    }
}
