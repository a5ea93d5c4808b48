using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Tests.Interrupts;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Execution;

/// <summary>
/// Port I/O protection, the single-step trap and the stack-segment fault, against AMD64 APM vol. 2 (§13.3:
/// above IOPL the TSS bitmap decides, a port outside it is #GP(0); §13.1.4: an instruction begun with TF set
/// traps with #DB after it completes; §4.5.2: a non-canonical SS reference is #SS(0); §8.2.18: with CR0.AM
/// and RFLAGS.AC a misaligned reference at CPL 3 is #AC(0)).
/// </summary>
[Category("Privilege")]
public class PortIoAndSingleStepTests
{
    [Test]
    public void InAtCpl3AboveIoplIsGeneralProtectionAtTheInstruction()
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.GeneralProtection);
        k.User(a =>
        {
            a.mov(edx, 0x60);
            a.@in(al, dx);
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        ulong[] frame = k.Frame(2);
        Assert.Multiple(() =>
        {
            Assert.That(frame[0], Is.EqualTo(0), "error code");
            Assert.That(frame[1], Is.EqualTo(KernelMachine.UserCode + 5), "the IN's own RIP (after the 5-byte MOV)");
        });
    }

    [Test]
    public void OutsAtCpl3AboveIoplIsGeneralProtection()
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.GeneralProtection);
        k.User(a => a.outsb());
        k.Cpu.SetRegister(Gpr.Rsi, KernelMachine.UserStackTop - 0x200);

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Frame(2)[1], Is.EqualTo(KernelMachine.UserCode));
    }

    [Test]
    public void InAtCpl3WithIopl3ReadsAllOnesFromAnAbsentDevice()
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.GeneralProtection);
        k.User(a =>
        {
            a.mov(eax, 0x1234_5678);
            a.@in(ax, (byte)0x80);
            a.hlt(); // #GP at CPL 3: stops the run after the IN
        });
        k.Cpu.Rflags |= RFlags.IOPL;

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Cpu.GetRegister(Gpr.Rax) & 0xFFFF_FFFF, Is.EqualTo(0x1234_FFFF));
    }

    [Test]
    public void RepInsbAtCpl0StoresAllOnesAndCountsRcxDown()
    {
        var k = new KernelMachine();
        k.Kernel(a =>
        {
            a.rep.insb();
            a.hlt();
        });
        ulong buffer = KernelMachine.KernelStackTop - 0x400;
        k.Cpu.SetRegister(Gpr.Rdi, buffer);
        k.Cpu.SetRegister(Gpr.Rcx, 3);

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.Multiple(() =>
        {
            Assert.That(k.Machine.Peek(buffer, 4), Is.EqualTo(new byte[] { 0xFF, 0xFF, 0xFF, 0 }));
            Assert.That(k.Cpu.GetRegister(Gpr.Rcx), Is.EqualTo(0));
            Assert.That(k.Cpu.GetRegister(Gpr.Rdi), Is.EqualTo(buffer + 3));
        });
    }

    [Test]
    public void PopfSettingTfTrapsAfterTheNextInstruction()
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.Debug);
        byte[] code = k.User(a =>
        {
            a.pushfq();
            a.or(__qword_ptr[rsp], 0x100);
            a.popfq();
            a.nop();
            a.nop();
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        ulong[] frame = k.Frame(3);
        Assert.Multiple(() =>
        {
            Assert.That(frame[0], Is.EqualTo(KernelMachine.UserCode + (ulong)code.Length - 1), "the RIP after the first NOP (a trap), before the second");
            Assert.That(frame[2] & RFlags.TF, Is.EqualTo(RFlags.TF), "the saved RFLAGS keeps TF");
            Assert.That(k.Cpu.Rflags & RFlags.TF, Is.EqualTo(0), "delivery cleared TF");
        });
    }

    /// <summary>With CR0.AM (Linux sets it) and AC set at CPL 3, a misaligned doubleword read is #AC(0) at the instruction; an aligned one is not.</summary>
    [Test]
    public void MisalignedReadWithAcSetIsAlignmentCheck()
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.AlignmentCheck);
        byte[] code = k.User(a =>
        {
            a.pushfq();
            a.or(__dword_ptr[rsp], 0x40000);
            a.popfq();
            a.mov(eax, __dword_ptr[rsp]);
            a.mov(eax, __dword_ptr[rsp + 1]);
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        ulong[] frame = k.Frame(2);
        Assert.Multiple(() =>
        {
            Assert.That(frame[0], Is.EqualTo(0), "error code");
            Assert.That(frame[1], Is.EqualTo(KernelMachine.UserCode + (ulong)code.Length - 4), "the misaligned MOV's own RIP");
        });
    }

    [Test]
    public void PushWithANonCanonicalStackPointerIsStackFault()
    {
        var k = new KernelMachine();
        ulong stackFault = k.StopOn(ExceptionVector.StackFault);
        k.StopOn(ExceptionVector.GeneralProtection);
        k.User(a =>
        {
            a.mov(rsp, 0x0000_9000_0000_0000);
            a.push(rax);
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Cpu.Rip, Is.EqualTo(stackFault + 1), "stopped in the #SS handler");
    }
}
