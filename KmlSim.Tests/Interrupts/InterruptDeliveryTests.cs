using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Memory;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Interrupts;

/// <summary>
/// Exception and software-interrupt delivery through 64-bit IDT gates (AMD64 APM vol. 2, §8.9): the gate
/// DPL check of INT n, trap versus fault return addresses, page-fault error codes and CR2 (§8.4.2), the
/// stack switch to RSP0 or an IST stack, and the double- and triple-fault rules of §8.2.9 that make up the
/// seed article's stack-starvation problem.
/// </summary>
[Category("Privilege")]
public class InterruptDeliveryTests
{
    // Frame slots from RSP when the handler runs: [error code,] RIP, CS, RFLAGS, RSP, SS.
    private const ulong StarvedStack = 0x6F_0000; // the page below it is not mapped

    [Test]
    public void Int80ThroughADpl0GateFromCpl3RaisesGeneralProtectionNamingTheGate()
    {
        var k = new KernelMachine();
        k.Gate(0x80, k.StopHandler(), dpl: 0);
        k.StopOn(ExceptionVector.GeneralProtection);
        k.User(a => a.@int(0x80));

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        ulong[] frame = k.Frame();
        Assert.Multiple(() =>
        {
            Assert.That(frame[0], Is.EqualTo((0x80 * 8) + 2), "error code: vector * 8 + IDT bit");
            Assert.That(frame[1], Is.EqualTo(KernelMachine.UserCode), "the #GP is a fault on the INT");
            Assert.That(frame[2], Is.EqualTo(SystemTables.UserCode));
            Assert.That(frame[4], Is.EqualTo(KernelMachine.UserStackTop - 0x100));
            Assert.That(frame[5], Is.EqualTo(SystemTables.UserData));
            Assert.That(k.Cpu.InstructionsRetired, Is.EqualTo(1), "the INT did not retire; the handler's HLT did");
        });
    }

    [Test]
    public void Int80ThroughADpl3GateFromCpl3IsATrapSavingTheNextRip()
    {
        var k = new KernelMachine();
        k.Gate(0x80, k.StopHandler(), dpl: 3);
        k.User(a => a.@int(0x80));

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        ulong[] frame = k.Frame(5);
        Assert.Multiple(() =>
        {
            Assert.That(frame[0], Is.EqualTo(KernelMachine.UserCode + 2), "no error code; RIP after INT");
            Assert.That(frame[1], Is.EqualTo(SystemTables.UserCode));
            Assert.That(frame[2] & RFlags.IF, Is.Not.Zero, "saved RFLAGS has IF");
            Assert.That(k.Cpu.Rflags & RFlags.IF, Is.Zero, "an interrupt gate clears IF");
            Assert.That(k.Cpu.GetRegister(Gpr.Rsp), Is.EqualTo(KernelMachine.KernelStackTop - 40), "frame on RSP0");
            Assert.That(k.Cpu.Selectors[2], Is.EqualTo(0), "SS = null selector with RPL = new CPL");
            Assert.That(k.Cpu.InstructionsRetired, Is.EqualTo(2));
        });
    }

    [Test]
    public void Int3ThroughATrapGateKeepsInterruptsEnabled()
    {
        var k = new KernelMachine();
        ulong handler = k.Handler(a =>
        {
            a.pushfq();
            a.pop(rbx);
            a.cli();
            a.hlt();
        });
        k.Gate((byte)ExceptionVector.Breakpoint, handler, dpl: 3, trap: true);
        k.User(a => a.int3());

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Cpu.GetRegister(Gpr.Rbx) & RFlags.IF, Is.Not.Zero);
        Assert.That(k.Frame(1)[0], Is.EqualTo(KernelMachine.UserCode + 1), "INT3 is a trap");
    }

    [TestCase("not present", 0x4UL, TestName = "PageFaultNotPresentReadAtCpl3")]
    [TestCase("read-only", 0x7UL, TestName = "PageFaultWriteToReadOnlyPageAtCpl3")]
    [TestCase("supervisor", 0x5UL, TestName = "PageFaultUserReadOfSupervisorPage")]
    [TestCase("no-execute", 0x15UL, TestName = "PageFaultInstructionFetchFromNxPage")]
    public void PageFaultErrorCodeAndCr2(string kind, ulong expectedError)
    {
        const ulong target = 0x70_0000;
        var k = new KernelMachine();
        k.Gate((byte)ExceptionVector.PageFault, k.Handler(a =>
        {
            a.mov(rax, cr2);
            a.hlt();
        }));
        switch (kind)
        {
            case "read-only": k.Machine.Map(target, 0x1000, PageFlags.User); break;
            case "supervisor": k.Machine.Map(target, 0x1000, PageFlags.Writable); break;
            case "no-execute": k.Machine.Map(target, 0x1000, PageFlags.User | PageFlags.NoExecute); break;
        }

        k.User(a =>
        {
            switch (kind)
            {
                case "read-only": a.mov(__qword_ptr[target + 8], rax); break;
                case "no-execute": a.mov(rax, target + 8); a.jmp(rax); break;
                default: a.mov(rax, __qword_ptr[target + 8]); break;
            }
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        ulong[] frame = k.Frame();
        Assert.Multiple(() =>
        {
            Assert.That(frame[0], Is.EqualTo(expectedError), "P=1 W=2 U=4 I=16");
            Assert.That(k.Cpu.GetRegister(Gpr.Rax), Is.EqualTo(target + 8), "CR2 = faulting linear address");
            Assert.That(frame[1], Is.EqualTo(kind == "no-execute" ? target + 8 : KernelMachine.UserCode), "saved RIP");
        });
    }

    [Test]
    public void StackStarvationWithoutIstTripleFaults()
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.PageFault);
        k.StopOn(ExceptionVector.DoubleFault);
        k.Kernel(a =>
        {
            a.mov(rsp, (long)StarvedStack);
            a.push(rax);
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.TripleFault));
        TripleFaultReport report = k.Cpu.LastTripleFault!;
        Assert.Multiple(() =>
        {
            // #PF on PUSH; its frame cannot be pushed (#PF during #PF -> #DF); nor can #DF's (#PF -> shutdown).
            Assert.That(report.Vectors, Is.EqualTo(new byte[] { 14, 14, 8, 14 }));
            Assert.That(report.Rip, Is.EqualTo(KernelMachine.KernelCode + 10), "the PUSH");
            Assert.That(report.Rsp, Is.EqualTo(StarvedStack));
            Assert.That(report.Cr2, Is.EqualTo(StarvedStack - 8), "the first frame slot (SS) of the last push");
            Assert.That(report.Cpl, Is.EqualTo(0));
            Assert.That(report.ToString(), Does.Contain("#PF -> #PF -> #DF -> #PF").And.Contain("RSP=0x6f0000"));
            Assert.That(k.Cpu.Rip, Is.EqualTo(KernelMachine.KernelCode + 10));
        });
    }

    [Test]
    public void StackStarvationWithIstOnThePageFaultGateRunsTheHandlerOnItsOwnStack()
    {
        var k = new KernelMachine();
        k.Gate((byte)ExceptionVector.PageFault, k.Handler(a =>
        {
            a.mov(rax, cr2);
            a.hlt();
        }), ist: 1);
        k.StopOn(ExceptionVector.DoubleFault, ist: 2);
        k.Kernel(a =>
        {
            a.mov(rsp, (long)StarvedStack);
            a.push(rax);
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        ulong[] frame = k.Frame();
        Assert.Multiple(() =>
        {
            Assert.That(k.Cpu.GetRegister(Gpr.Rsp), Is.EqualTo(KernelMachine.Ist1Top - 48), "IST1 stack");
            Assert.That(frame, Is.EqualTo(new[]
            {
                PageFaultErrorCode.Write, KernelMachine.KernelCode + 10, SystemTables.KernelCode, RFlags.Reserved1,
                StarvedStack, SystemTables.KernelData,
            }));
            Assert.That(k.Cpu.GetRegister(Gpr.Rax), Is.EqualTo(StarvedStack - 8));
            Assert.That(k.Cpu.LastTripleFault, Is.Null);
        });
    }

    [Test]
    public void StackStarvationWithIstOnlyOnTheDoubleFaultGateSurvivesInTheDoubleFaultHandler()
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.PageFault);
        k.StopOn(ExceptionVector.DoubleFault, ist: 2);
        k.Kernel(a =>
        {
            a.mov(rsp, (long)StarvedStack);
            a.push(rax);
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        ulong[] frame = k.Frame();
        Assert.Multiple(() =>
        {
            Assert.That(k.Cpu.GetRegister(Gpr.Rsp), Is.EqualTo(KernelMachine.Ist2Top - 48), "IST2 stack");
            Assert.That(frame[0], Is.EqualTo(0), "#DF error code is zero");
            Assert.That(frame[1], Is.EqualTo(KernelMachine.KernelCode + 10));
            Assert.That(frame[4], Is.EqualTo(StarvedStack));
            Assert.That(k.Cpu.Cr2, Is.EqualTo(StarvedStack - 8));
        });
    }

    [Test]
    public void GeneralProtectionWhileDeliveringAPageFaultIsADoubleFault()
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.DoubleFault);
        k.Gate((byte)ExceptionVector.PageFault, 0x0000_8000_0000_0000); // non-canonical handler: #GP
        k.Kernel(a => a.mov(rax, __qword_ptr[0x70_0000]));

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Frame(2), Is.EqualTo(new[] { 0UL, KernelMachine.KernelCode }));
    }

    [Test]
    public void PageFaultWhileDeliveringAnInvalidOpcodeIsDeliveredSerially()
    {
        // #UD is benign: a #PF during its delivery is handled as an ordinary #PF (table 8-8).
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.PageFault);
        k.StopOn(ExceptionVector.DoubleFault, ist: 2);
        k.Gate((byte)ExceptionVector.InvalidOpcode, k.StopHandler());
        k.Kernel(a =>
        {
            a.mov(rsp, (long)StarvedStack);
            a.ud2();
        });
        k.Tables.SetGate((byte)ExceptionVector.PageFault, k.Tables.Gate((byte)ExceptionVector.PageFault).Offset, ist: 1);
        k.Machine.InstallSystemTables(k.Tables);

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Cpu.GetRegister(Gpr.Rsp), Is.EqualTo(KernelMachine.Ist1Top - 48), "the #PF handler, not #DF");
        Assert.That(k.Frame(2), Is.EqualTo(new[] { PageFaultErrorCode.Write, KernelMachine.KernelCode + 10 }));
    }

    [Test]
    public void SysretToANonCanonicalRcxFaultsAtCpl3OnTheKernelStack()
    {
        // AMD: SYSRET does not check RCX; the #GP comes from the fetch at CPL 3, so it switches to RSP0
        // (on Intel the #GP would be taken at CPL 0 on the user's RSP).
        const ulong nonCanonical = 0x0000_8000_0000_0000;
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.GeneralProtection);
        k.Kernel(a =>
        {
            a.mov(rsp, (long)(KernelMachine.UserStackTop - 0x80));
            a.mov(rcx, (long)nonCanonical);
            a.mov(r11d, 0x202);
            a.sysretq();
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Frame(), Is.EqualTo(new[]
        {
            0UL, nonCanonical, SystemTables.UserCode, 0x202UL, KernelMachine.UserStackTop - 0x80, SystemTables.UserData,
        }));
        Assert.That(k.Cpu.GetRegister(Gpr.Rsp), Is.EqualTo(KernelMachine.KernelStackTop - 48));
    }

    [Test]
    public void IretqBackFromAHandlerResumesTheInterruptedUserCode()
    {
        var k = new KernelMachine();
        k.Gate(0x80, k.Handler(a =>
        {
            a.mov(ebx, 99);
            a.iretq();
        }), dpl: 3);
        k.User(a =>
        {
            a.@int(0x80);
            a.mov(ecx, 1);
        });

        Assert.That(k.Machine.Run(4), Is.EqualTo(StopReason.InstructionLimit));
        Assert.Multiple(() =>
        {
            Assert.That(k.Cpu.Cpl, Is.EqualTo(3));
            Assert.That(k.Cpu.GetRegister(Gpr.Rbx), Is.EqualTo(99));
            Assert.That(k.Cpu.GetRegister(Gpr.Rcx), Is.EqualTo(1));
            Assert.That(k.Cpu.GetRegister(Gpr.Rsp), Is.EqualTo(KernelMachine.UserStackTop - 0x100));
            Assert.That(k.Cpu.Rflags & RFlags.IF, Is.Not.Zero);
        });
    }

    [Test]
    public void WithoutAnIdtAFaultStillEndsTheRun()
    {
        var m = new SnippetMachine();
        m.LoadCode(0x40_0000, a => a.mov(rax, __qword_ptr[0x70_0000]));

        Assert.That(m.Run(), Is.EqualTo(StopReason.Fault));
        Assert.That(m.Cpu.LastFault!.Vector, Is.EqualTo(ExceptionVector.PageFault));
        Assert.That(m.Cpu.Cr2, Is.EqualTo(0x70_0000));
        Assert.That(m.Cpu.Rip, Is.EqualTo(0x40_0000));
    }

    [Test]
    public void WithoutAnIdtIntNIsGeneralProtectionAtTheInstruction()
    {
        var m = new SnippetMachine();
        m.LoadCode(0x40_0000, a => a.@int(0x80));

        Assert.That(m.Run(), Is.EqualTo(StopReason.Fault));
        Assert.That(m.Cpu.LastFault!.Vector, Is.EqualTo(ExceptionVector.GeneralProtection));
        Assert.That(m.Cpu.LastFault.ErrorCode, Is.EqualTo((0x80 * 8) + 2));
    }
}
