using Iced.Intel;
using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Memory;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Execution;

/// <summary>Small programs through the interpreter loop: blocks, branches, calls, faults and their recovery.</summary>
public class SnippetTests
{
    private const ulong Code = 0x40_0000;
    private const ulong Data = 0x60_0000;

    [Test]
    public void LoopSumsOneToHundred()
    {
        var m = new SnippetMachine();
        m.LoadCode(Code, a =>
        {
            var top = a.CreateLabel();
            a.xor(eax, eax);
            a.mov(ecx, 100);
            a.Label(ref top);
            a.add(rax, rcx);
            a.dec(ecx);
            a.jnz(top);
            a.int3();
        });
        Assert.That(m.Run(), Is.EqualTo(StopReason.Fault));
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.LastFault!.Vector, Is.EqualTo(ExceptionVector.Breakpoint));
            Assert.That(m.Cpu.GetRegister(Gpr.Rax), Is.EqualTo(5050));
            Assert.That(m.Cpu.InstructionsRetired, Is.EqualTo(2 + (3 * 100)));
        });
    }

    [Test]
    public void CallAndReturnUseTheStack()
    {
        var m = new SnippetMachine();
        m.Map(Data, 4096, PageFlags.User | PageFlags.Writable);
        m.LoadCode(Code, a =>
        {
            var function = a.CreateLabel();
            a.mov(rsp, Data + 4096);
            a.call(function);
            a.int3();
            a.Label(ref function);
            a.mov(eax, 7);
            a.ret();
        });
        m.Run();
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.GetRegister(Gpr.Rax), Is.EqualTo(7));
            Assert.That(m.Cpu.GetRegister(Gpr.Rsp), Is.EqualTo(Data + 4096));
        });
    }

    [Test]
    public void PageFaultPointsAtTheFaultingInstructionAndCountsOnlyRetiredOnes()
    {
        var m = new SnippetMachine();
        m.LoadCode(Code, a =>
        {
            a.mov(eax, 1);
            a.mov(rbx, 0x7000_0000);
            a.mov(rcx, __qword_ptr[rbx]);
            a.mov(eax, 2);
        });
        Assert.That(m.Run(), Is.EqualTo(StopReason.Fault));
        var fault = m.Cpu.LastFault!;
        Assert.Multiple(() =>
        {
            Assert.That(fault.Vector, Is.EqualTo(ExceptionVector.PageFault));
            Assert.That(fault.ErrorCode, Is.EqualTo(PageFaultErrorCode.User)); // not present, read, CPL 3
            Assert.That(fault.FaultAddress, Is.EqualTo(0x7000_0000UL));
            Assert.That(m.Cpu.Rip, Is.EqualTo(Code + 5 + 10)); // mov eax,imm32 (5) + mov rbx,imm64 (10)
            Assert.That(m.Cpu.InstructionsRetired, Is.EqualTo(2));
            Assert.That(m.Cpu.GetRegister(Gpr.Rax), Is.EqualTo(1));
        });
    }

    [Test]
    public void SelfModifyingCodeIsSeen()
    {
        var m = new SnippetMachine();
        // The code page is writable: the first pass rewrites the immediate of `mov eax, 1` (at Code + 2,
        // after the 2-byte xor) to 2.
        m.LoadCode(Code, a =>
        {
            var again = a.CreateLabel();
            a.xor(ebx, ebx);
            a.Label(ref again);
            a.mov(eax, 1);
            a.add(ebx, eax);
            a.mov(__byte_ptr[Code + 2 + 1], 2);
            a.cmp(ebx, 3);
            a.jb(again);
            a.int3();
        }, PageFlags.User | PageFlags.Writable);
        m.Run();
        Assert.That(m.Cpu.GetRegister(Gpr.Rbx), Is.EqualTo(3)); // 1 on the first pass, 2 on the second
    }

    [Test]
    public void InstructionLimitStopsExactly()
    {
        var m = new SnippetMachine();
        m.LoadCode(Code, a =>
        {
            var top = a.CreateLabel();
            a.Label(ref top);
            a.inc(rax);
            a.jmp(top);
        });
        Assert.Multiple(() =>
        {
            Assert.That(m.Run(1001), Is.EqualTo(StopReason.InstructionLimit));
            Assert.That(m.Cpu.GetRegister(Gpr.Rax), Is.EqualTo(501));
        });
    }

    [Test]
    public void UnknownInstructionRaisesInvalidOpcode()
    {
        var m = new SnippetMachine();
        m.LoadCode(Code, a => a.ud2());
        Assert.Multiple(() =>
        {
            Assert.That(m.Run(), Is.EqualTo(StopReason.Fault));
            Assert.That(m.Cpu.LastFault!.Vector, Is.EqualTo(ExceptionVector.InvalidOpcode));
            Assert.That(m.Cpu.Disassemble(m.Cpu.Rip), Does.StartWith("ud2"));
        });
    }

    [Test]
    public void CpuidReportsTheOpteronOfTheReferenceDump()
    {
        var m = new SnippetMachine();
        m.LoadCode(Code, a =>
        {
            a.mov(eax, 1);
            a.cpuid();
        });
        m.Run(2);
        Assert.Multiple(() =>
        {
            // InstLatX86's CPUID dump of a K8 Sledgehammer (AuthenticAMD0000F5A_K8_Sledgehammer_CPUID.txt): "CPUID 00000001: 00000F5A-00000800-00000000-078BFBFF"
            Assert.That(m.Cpu.GetRegister(Gpr.Rax), Is.EqualTo(0xF5A));
            Assert.That(m.Cpu.GetRegister(Gpr.Rdx), Is.EqualTo(0x078BFBFF));
            Assert.That(m.Cpu.GetRegister(Gpr.Rcx), Is.EqualTo(0)); // no SSE3
        });
    }

    [Test]
    public void CetHintsAreNopsOnAK8()
    {
        // F3 48 0F 1E C8 is RDSSPQ RAX; on a CPU without CET it is a hint NOP that keeps RAX.
        var m = new SnippetMachine();
        m.LoadCode(Code, [0xF3, 0x48, 0x0F, 0x1E, 0xC8, 0xF3, 0x0F, 0x1E, 0xFA]);
        m.Cpu.SetRegister(Gpr.Rax, 0x1234);
        Assert.Multiple(() =>
        {
            Assert.That(m.Run(2), Is.EqualTo(StopReason.InstructionLimit));
            Assert.That(m.Cpu.GetRegister(Gpr.Rax), Is.EqualTo(0x1234));
        });
    }
}
