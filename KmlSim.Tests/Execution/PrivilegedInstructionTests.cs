using Iced.Intel;
using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Memory;
using KmlSim.Tests.Interrupts;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Execution;

/// <summary>
/// SYSCALL, SYSRET, SWAPGS, IRETQ, RDMSR/WRMSR, MOV CRn, INVLPG, the descriptor-table instructions and
/// segment loads, against the instruction pages of AMD64 APM vol. 3 and the rules of vol. 2 (§4, §6).
/// </summary>
[Category("Privilege")]
public class PrivilegedInstructionTests
{
    private const ulong Lstar = 0x18_8000;

    [Test]
    public void SyscallSavesRipAndFlagsMasksFlagsAndEntersCpl0AtLstar()
    {
        var k = new KernelMachine();
        k.Machine.LoadCode(Lstar, a => a.hlt(), PageFlags.None);
        k.Cpu.Lstar = Lstar;
        k.User(a => a.syscall());
        // IF, DF and CF set before: SFMASK (TF|IF|DF|IOPL) leaves CF and the reserved bit 1.
        k.Cpu.Rflags = RFlags.Reserved1 | RFlags.IF | RFlags.DF | RFlags.CF;

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.Multiple(() =>
        {
            Assert.That(k.Cpu.GetRegister(Gpr.Rcx), Is.EqualTo(KernelMachine.UserCode + 2), "RCX = next RIP");
            Assert.That(k.Cpu.GetRegister(Gpr.R11), Is.EqualTo(0x603), "R11 = RFLAGS");
            Assert.That(k.Cpu.Rflags, Is.EqualTo(0x003), "RFLAGS & ~SFMASK");
            Assert.That(k.Cpu.Selectors[1], Is.EqualTo(0x10), "CS = STAR[47:32]");
            Assert.That(k.Cpu.Selectors[2], Is.EqualTo(0x18), "SS = STAR[47:32] + 8");
            Assert.That(k.Cpu.Cpl, Is.EqualTo(0));
            Assert.That(k.Cpu.Rip, Is.EqualTo(Lstar + 1), "ran the HLT at LSTAR");
            Assert.That(k.Cpu.GetRegister(Gpr.Rsp), Is.EqualTo(KernelMachine.UserStackTop - 0x100), "RSP untouched");
        });
    }

    [Test]
    public void SyscallWithSceClearRaisesInvalidOpcode()
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.InvalidOpcode);
        k.User(a => a.syscall());
        k.Cpu.Efer &= ~Msr.EferSce;

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        ulong[] frame = k.Frame(5);
        Assert.That(frame[0], Is.EqualTo(KernelMachine.UserCode), "a fault saves the SYSCALL's own RIP");
        Assert.That(frame[1], Is.EqualTo(SystemTables.UserCode));
    }

    [Test]
    public void SysretReturnsToCpl3WithRpl3SelectorsFromStarAndFlagsFromR11()
    {
        var k = new KernelMachine();
        k.Machine.LoadCode(KernelMachine.UserCode, a => { a.nop(); a.nop(); }, PageFlags.User);
        k.Kernel(a =>
        {
            a.mov(rcx, KernelMachine.UserCode);
            a.mov(r11, 0x10000 | 0x246); // RF in R11 is not restored
            a.sysretq();
        });
        ulong rsp = k.Cpu.GetRegister(Gpr.Rsp);

        Assert.That(k.Machine.Run(4), Is.EqualTo(StopReason.InstructionLimit));
        Assert.Multiple(() =>
        {
            Assert.That(k.Cpu.Cpl, Is.EqualTo(3));
            Assert.That(k.Cpu.Selectors[1], Is.EqualTo(0x33), "CS = (STAR[63:48] + 16) | 3");
            Assert.That(k.Cpu.Selectors[2], Is.EqualTo(0x2B), "SS = (STAR[63:48] + 8) | 3");
            Assert.That(k.Cpu.Rflags, Is.EqualTo(0x246));
            Assert.That(k.Cpu.Rip, Is.EqualTo(KernelMachine.UserCode + 1), "RIP = RCX, then one user NOP");
            Assert.That(k.Cpu.GetRegister(Gpr.Rsp), Is.EqualTo(rsp), "SYSRET leaves RSP alone");
        });
    }

    [Test]
    public void SwapgsExchangesGsBaseWithKernelGsBaseAtCpl0()
    {
        var k = new KernelMachine();
        k.Kernel(a =>
        {
            a.swapgs();
            a.mov(rax, __qword_ptr.gs[8]);
            a.hlt();
        });
        k.Machine.Map(0x60_0000, 0x1000, PageFlags.Writable);
        k.Machine.Poke(0x60_0008, BitConverter.GetBytes(0x1122334455667788UL));
        k.Cpu.GsBase = 0x7000_0000;
        k.Cpu.KernelGsBase = 0x60_0000;

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.Multiple(() =>
        {
            Assert.That(k.Cpu.GsBase, Is.EqualTo(0x60_0000));
            Assert.That(k.Cpu.KernelGsBase, Is.EqualTo(0x7000_0000));
            Assert.That(k.Cpu.GetRegister(Gpr.Rax), Is.EqualTo(0x1122334455667788UL), "GS-relative load uses the new base");
        });
    }

    [Test]
    public void IretqToCpl3RestoresSsRspCsRipAndFlags()
    {
        var k = new KernelMachine();
        k.Machine.LoadCode(KernelMachine.UserCode, a => a.nop(), PageFlags.User);
        k.Kernel(a =>
        {
            a.push(SystemTables.UserData);
            a.push(0x4F_F000);
            a.push(0x202);
            a.push(SystemTables.UserCode);
            a.push((int)KernelMachine.UserCode);
            a.iretq();
        });
        k.Cpu.Selectors[3] = SystemTables.KernelData; // DS at DPL 0 is nulled by the return to CPL 3

        Assert.That(k.Machine.Run(7), Is.EqualTo(StopReason.InstructionLimit));
        Assert.Multiple(() =>
        {
            Assert.That(k.Cpu.Cpl, Is.EqualTo(3));
            Assert.That(k.Cpu.GetRegister(Gpr.Rsp), Is.EqualTo(0x4F_F000));
            Assert.That(k.Cpu.Selectors[2], Is.EqualTo(SystemTables.UserData));
            Assert.That(k.Cpu.Selectors[1], Is.EqualTo(SystemTables.UserCode));
            Assert.That(k.Cpu.Selectors[3], Is.EqualTo(0), "DS no longer usable at CPL 3");
            Assert.That(k.Cpu.Rflags, Is.EqualTo(0x202));
            Assert.That(k.Cpu.Rip, Is.EqualTo(KernelMachine.UserCode + 1));
        });
    }

    [Test]
    public void IretqFromCpl3ToCpl0RaisesGeneralProtectionWithTheSelector()
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.GeneralProtection);
        k.User(a =>
        {
            a.push(SystemTables.KernelData);
            a.push(0x4F_F000);
            a.push(0x202);
            a.push(SystemTables.KernelCode);
            a.push((int)KernelMachine.UserCode);
            a.iretq();
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Frame(1)[0], Is.EqualTo(SystemTables.KernelCode), "#GP(CS selector): RPL < CPL");
    }

    [TestCase("wrmsr")]
    [TestCase("rdmsr")]
    [TestCase("mov cr3")]
    [TestCase("mov from cr0")]
    [TestCase("cli")]
    [TestCase("sti")]
    [TestCase("hlt")]
    [TestCase("swapgs")]
    [TestCase("lgdt")]
    [TestCase("lidt")]
    [TestCase("ltr")]
    [TestCase("invlpg")]
    [TestCase("sysret")]
    public void PrivilegedInstructionAtCpl3RaisesGeneralProtectionZero(string instruction)
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.GeneralProtection);
        byte[] code = k.User(a =>
        {
            switch (instruction)
            {
                case "wrmsr": a.wrmsr(); break;
                case "rdmsr": a.rdmsr(); break;
                case "mov cr3": a.mov(cr3, rax); break;
                case "mov from cr0": a.mov(rax, cr0); break;
                case "cli": a.cli(); break;
                case "sti": a.sti(); break;
                case "hlt": a.hlt(); break;
                case "swapgs": a.swapgs(); break;
                case "lgdt": a.lgdt(__[rsp]); break;
                case "lidt": a.lidt(__[rsp]); break;
                case "ltr": a.ltr(ax); break;
                case "invlpg": a.invlpg(__[rsp]); break;
                default: a.sysretq(); break;
            }
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        ulong[] frame = k.Frame(6);
        Assert.Multiple(() =>
        {
            Assert.That(frame[0], Is.EqualTo(0), "error code");
            Assert.That(frame[1], Is.EqualTo(KernelMachine.UserCode), "RIP of the faulting instruction");
            Assert.That(frame[2], Is.EqualTo(SystemTables.UserCode));
            Assert.That(k.Cpu.GetRegister(Gpr.Rsp), Is.EqualTo(KernelMachine.KernelStackTop - 48), "frame on RSP0");
            Assert.That(code.Length, Is.GreaterThan(0));
        });
    }

    [Test]
    public void WrmsrAndRdmsrRoundTripTheSyscallAndSegmentBaseMsrs()
    {
        var k = new KernelMachine();
        k.Kernel(a =>
        {
            a.mov(ecx, Msr.Lstar);
            a.mov(eax, 0x8000_1234u);
            a.mov(edx, 0xFFFF_FFFFu);
            a.wrmsr();
            a.mov(ecx, Msr.KernelGsBase);
            a.mov(eax, 0x5000);
            a.xor(edx, edx);
            a.wrmsr();
            a.mov(ecx, Msr.Lstar);
            a.rdmsr();
            a.hlt();
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.Multiple(() =>
        {
            Assert.That(k.Cpu.Lstar, Is.EqualTo(0xFFFF_FFFF_8000_1234UL));
            Assert.That(k.Cpu.KernelGsBase, Is.EqualTo(0x5000));
            Assert.That(k.Cpu.GetRegister(Gpr.Rax), Is.EqualTo(0x8000_1234UL), "RDMSR: EAX = low half, zero-extended");
            Assert.That(k.Cpu.GetRegister(Gpr.Rdx), Is.EqualTo(0xFFFF_FFFFUL), "RDMSR: EDX = high half");
        });
    }

    [TestCase(0x1234u, 0u, 0u, TestName = "Unknown MSR")]
    [TestCase(Msr.Lstar, 0u, 0x0000_8000u, TestName = "Non-canonical LSTAR")]
    [TestCase(Msr.Efer, 0x0000_0D01u | (1u << 12), 0u, TestName = "EFER reserved bit (SVME is absent on K8)")]
    [TestCase(Msr.Sfmask, 0u, 1u, TestName = "SFMASK high half is reserved")]
    public void WrmsrRefusalRaisesGeneralProtectionZero(uint index, uint low, uint high)
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.GeneralProtection);
        k.Kernel(a =>
        {
            a.mov(ecx, index);
            a.mov(eax, low);
            a.mov(edx, high);
            a.wrmsr();
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Frame(2), Is.EqualTo(new[] { 0UL, KernelMachine.KernelCode + 15 }), "#GP(0) at the WRMSR");
    }

    [Test]
    public void MovCr3FlushesStaleTranslationsAndInvlpgFlushesOnePage()
    {
        const ulong data = 0x60_0000;
        var k = new KernelMachine();
        k.Machine.Map(data, 0x2000, PageFlags.Writable);
        k.Machine.Poke(data, BitConverter.GetBytes(1UL));
        k.Machine.Poke(data + 0x1000, BitConverter.GetBytes(2UL));
        ulong newFrame = k.Machine.Memory.AllocateFrame();
        BitConverter.TryWriteBytes(k.Machine.Memory.Frame(newFrame), 3UL);
        k.Kernel(a =>
        {
            a.mov(rax, __qword_ptr[data]);      // fills the TLB
            a.mov(rax, __qword_ptr[data + 0x1000]);
            a.hlt();
            a.mov(rbx, __qword_ptr[data]);      // stale: the page tables changed behind the TLB
            a.invlpg(__[data]);
            a.mov(rcx, __qword_ptr[data]);      // fresh
            a.mov(rdx, __qword_ptr[data + 0x1000]); // still stale: INVLPG dropped one page only
            a.mov(rax, cr3);
            a.mov(cr3, rax);
            a.mov(rsi, __qword_ptr[data + 0x1000]); // fresh
            a.hlt();
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        k.Machine.AddressSpace.Map(data, newFrame, PageFlags.Writable);
        k.Machine.AddressSpace.Map(data + 0x1000, newFrame, PageFlags.Writable);
        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.Multiple(() =>
        {
            Assert.That(k.Cpu.GetRegister(Gpr.Rbx), Is.EqualTo(1));
            Assert.That(k.Cpu.GetRegister(Gpr.Rcx), Is.EqualTo(3));
            Assert.That(k.Cpu.GetRegister(Gpr.Rdx), Is.EqualTo(2));
            Assert.That(k.Cpu.GetRegister(Gpr.Rsi), Is.EqualTo(3));
        });
    }

    [TestCase(0x8005_0033UL & ~ControlRegisters.Cr0Pg, TestName = "CR0.PG cleared in long mode")]
    [TestCase(0x8005_0033UL | ControlRegisters.Cr0Nw, TestName = "CR0.NW without CD")]
    [TestCase(0x1_8005_0033UL, TestName = "CR0 bit 32")]
    public void MovCr0RefusalRaisesGeneralProtectionZero(ulong value)
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.GeneralProtection);
        k.Kernel(a =>
        {
            a.mov(rax, value);
            a.mov(cr0, rax);
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Frame(1)[0], Is.EqualTo(0));
        Assert.That(k.Cpu.Cr0, Is.EqualTo(ControlRegisters.Cr0Initial));
    }

    [Test]
    public void MovCr0ClearingWpLetsTheKernelWriteReadOnlyPages()
    {
        const ulong data = 0x60_0000;
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.PageFault);
        k.Machine.Map(data, 0x1000, PageFlags.None);
        k.Kernel(a =>
        {
            a.mov(rax, cr0);
            a.and(eax, ~(int)ControlRegisters.Cr0Wp);
            a.mov(cr0, rax);
            a.mov(__qword_ptr[data], 7);
            a.hlt();
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.That(BitConverter.ToUInt64(k.Machine.Peek(data, 8)), Is.EqualTo(7));
        Assert.That(k.Cpu.Cr0 & ControlRegisters.Cr0Wp, Is.EqualTo(0));
    }

    [Test]
    public void LgdtLidtLtrLoadAndSgdtSidtStrStoreTheSystemRegisters()
    {
        var k = new KernelMachine();
        const ulong scratch = 0x60_0000;
        k.Machine.Map(scratch, 0x1000, PageFlags.Writable);
        var pseudo = new byte[20];
        BitConverter.TryWriteBytes(pseudo.AsSpan(0), (ushort)0x7F);
        BitConverter.TryWriteBytes(pseudo.AsSpan(2), k.Tables.GdtBase);
        BitConverter.TryWriteBytes(pseudo.AsSpan(10), (ushort)0xFFF);
        BitConverter.TryWriteBytes(pseudo.AsSpan(12), k.Tables.IdtBase);
        k.Machine.Poke(scratch, pseudo);
        k.Machine.Poke(k.Tables.BaseAddress, k.Tables.Image()); // the TSS descriptor is available again
        k.Cpu.Gdtr = default;
        k.Cpu.Idtr = default;
        k.Kernel(a =>
        {
            a.lgdt(__[scratch]);
            a.lidt(__[scratch + 10]);
            a.mov(eax, SystemTables.Tss);
            a.ltr(ax);
            a.sgdt(__[scratch + 0x100]);
            a.sidt(__[scratch + 0x110]);
            a.mov(rbx, -1L);
            a.str(ebx);
            a.hlt();
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        ulong tssDescriptor = BitConverter.ToUInt64(k.Machine.Peek(k.Tables.GdtBase + SystemTables.Tss, 8));
        Assert.Multiple(() =>
        {
            Assert.That(k.Cpu.Gdtr, Is.EqualTo(new DescriptorTableRegister(k.Tables.GdtBase, 0x7F)));
            Assert.That(k.Cpu.Idtr, Is.EqualTo(new DescriptorTableRegister(k.Tables.IdtBase, 0xFFF)));
            Assert.That(k.Cpu.TaskRegister, Is.EqualTo(SystemTables.Tss));
            Assert.That(k.Cpu.TssBase, Is.EqualTo(k.Tables.TssBase));
            Assert.That(k.Cpu.TssLimit, Is.EqualTo(0x67));
            Assert.That((tssDescriptor >> 40) & 0xF, Is.EqualTo(0xB), "LTR marks the TSS busy");
            Assert.That(k.Machine.Peek(scratch + 0x100, 10), Is.EqualTo(pseudo[..10]));
            Assert.That(k.Machine.Peek(scratch + 0x110, 10), Is.EqualTo(pseudo[10..]));
            Assert.That(k.Cpu.GetRegister(Gpr.Rbx), Is.EqualTo(SystemTables.Tss), "STR r32 zero-extends");
        });
    }

    [Test]
    public void LtrOfABusyTssRaisesGeneralProtectionWithTheSelector()
    {
        var k = new KernelMachine(); // the installed TSS is busy already
        k.StopOn(ExceptionVector.GeneralProtection);
        k.Kernel(a =>
        {
            a.mov(eax, SystemTables.Tss);
            a.ltr(ax);
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Frame(1)[0], Is.EqualTo(SystemTables.Tss));
    }

    [TestCase(3, "ds", 0, -1, TestName = "CPL3 MOV DS, null: allowed")]
    [TestCase(3, "ss", 0, 0, TestName = "CPL3 MOV SS, null: #GP(0)")]
    [TestCase(0, "ss", 0, -1, TestName = "CPL0 MOV SS, null with RPL 0: allowed")]
    [TestCase(0, "ss", 3, 0, TestName = "CPL0 MOV SS, null with RPL 3: #GP(0)")]
    [TestCase(3, "ds", SystemTables.KernelData, SystemTables.KernelData, TestName = "CPL3 MOV DS, DPL0 data: #GP(sel)")]
    [TestCase(3, "ss", SystemTables.UserCode, 0x30, TestName = "CPL3 MOV SS, code segment: #GP(sel)")]
    [TestCase(3, "es", 0x1003, 0x1000, TestName = "CPL3 MOV ES beyond the GDT limit: #GP(sel)")]
    [TestCase(3, "fs", 0x2F, 0x2C, TestName = "CPL3 MOV FS, LDT selector: #GP(sel)")]
    [TestCase(3, "es", SystemTables.UserCode, -1, TestName = "CPL3 MOV ES, readable code: allowed")]
    [TestCase(0, "ss", SystemTables.UserData, SystemTables.UserData & 0xFFFC, TestName = "CPL0 MOV SS, RPL3 data: #GP(sel)")]
    public void SegmentLoadChecks(int cpl, string register, int selector, long expectedError)
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.GeneralProtection);
        Action<Assembler> build = a =>
        {
            a.mov(eax, selector);
            switch (register)
            {
                case "ds": a.mov(ds, ax); break;
                case "es": a.mov(es, ax); break;
                case "fs": a.mov(fs, ax); break;
                default: a.mov(ss, ax); break;
            }

            a.nop();
        };
        if (cpl == 0)
        {
            k.Kernel(build);
        }
        else
        {
            k.User(build);
        }

        StopReason stop = k.Machine.Run(3);
        int index = register switch { "es" => 0, "ss" => 2, "ds" => 3, _ => 4 };
        if (expectedError < 0)
        {
            Assert.That(stop, Is.EqualTo(StopReason.InstructionLimit));
            Assert.That(k.Cpu.Selectors[index], Is.EqualTo(selector));
        }
        else
        {
            Assert.That(stop, Is.EqualTo(StopReason.Halted));
            Assert.That(k.Frame(1)[0], Is.EqualTo((ulong)expectedError));
        }
    }

    [Test]
    public void PopFsLoadsTheDescriptorBaseAndANullSelectorKeepsIt()
    {
        var k = new KernelMachine();
        k.User(a =>
        {
            a.push(SystemTables.UserData);
            a.pop(fs);
            a.mov(rbx, 0x1234);
            a.push(0);
            a.pop(gs);
        });
        k.Cpu.FsBase = 0x7777;
        k.Cpu.GsBase = 0x8888;

        Assert.That(k.Machine.Run(5), Is.EqualTo(StopReason.InstructionLimit));
        Assert.Multiple(() =>
        {
            Assert.That(k.Cpu.Selectors[4], Is.EqualTo(SystemTables.UserData));
            Assert.That(k.Cpu.FsBase, Is.EqualTo(0), "base of the flat user data descriptor");
            Assert.That(k.Cpu.Selectors[5], Is.EqualTo(0));
            Assert.That(k.Cpu.GsBase, Is.EqualTo(0x8888), "K8: a null selector leaves the base");
        });
    }

    [TestCase("wrfsbase")]
    [TestCase("wrgsbase")]
    [TestCase("rdfsbase")]
    [TestCase("rdgsbase")]
    public void FsGsBaseInstructionsAreAbsentOnK8(string instruction)
    {
        var k = new KernelMachine();
        k.StopOn(ExceptionVector.InvalidOpcode);
        k.Kernel(a =>
        {
            switch (instruction)
            {
                case "wrfsbase": a.wrfsbase(rax); break;
                case "wrgsbase": a.wrgsbase(rax); break;
                case "rdfsbase": a.rdfsbase(rax); break;
                default: a.rdgsbase(rax); break;
            }
        });

        Assert.That(k.Machine.Run(), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Frame(1)[0], Is.EqualTo(KernelMachine.KernelCode), "#UD: no error code, RIP of the instruction");
    }
}
