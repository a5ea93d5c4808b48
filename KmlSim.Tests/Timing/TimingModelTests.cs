using Iced.Intel;
using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Memory;
using KmlSim.Observation;
using KmlSim.Tests.Interrupts;
using KmlSim.Timing;
using KmlSim.Timing.Costs;
using KmlSim.Timing.Profiles;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Timing;

/// <summary>System-instruction costs, accounting, determinism and cost-table coverage of the timing model.</summary>
[Category("Timing")]
public sealed class TimingModelTests
{
    private const ulong KernelEntry = 0xFFFF_8000_0010_0000;

    [Test]
    public void SyscallSysretRoundTripCostsAtLeastItsMicrocodeAndFarMoreThanCallRet()
    {
        // reference §4: SYSCALL L 27, SYSRET L 35 ([AMD-25112] Table 13), both serialising far transfers that
        // are never predicted; CALL+RET pair ~2-4 cycles (reference §3, estimate).
        double loop = RoundTrip(_ => { }, bareHandler: false);
        double syscall = RoundTrip(a => a.syscall(), bareHandler: true) - loop;
        double call = RoundTrip(a => a.call(0x40_1000), bareHandler: false) - loop;
        TestContext.Out.WriteLine($"SYSCALL+SYSRET {syscall:F1} cycles, CALL+RET {call:F1} cycles, ratio {syscall / call:F1}");
        Assert.Multiple(() =>
        {
            Assert.That(syscall, Is.GreaterThanOrEqualTo(27 + 35), "at least the two microcode latencies");
            Assert.That(call, Is.InRange(2.0, 4.0 * 1.1), "CALL+RET pair 2-4 cycles");
        });
    }

    /// <summary>Cycles per iteration of a user loop (DEC/JNZ) that makes one SYSCALL (handler: SYSRETQ at LSTAR in the kernel half) or one CALL (to a RET).</summary>
    private static double RoundTrip(Action<Assembler> transfer, bool bareHandler)
    {
        long Cycles(int iterations)
        {
            var k = new KernelMachine();
            k.Machine.LoadCode(KernelEntry, a => a.sysretq(), PageFlags.None);
            k.Cpu.Lstar = KernelEntry;
            k.Machine.LoadCode(0x40_1000, a => a.ret(), PageFlags.User);
            k.StopOn(ExceptionVector.GeneralProtection);
            k.User(a =>
            {
                var loop = a.CreateLabel();
                a.mov(r15, iterations);
                a.Label(ref loop);
                transfer(a);
                a.dec(r15);
                a.jnz(loop);
                a.hlt(); // #GP at CPL 3 stops the run through the stop handler
            });
            var model = (TimingModel)CpuProfiles.Opteron850.Attach(k.Cpu);
            k.Machine.Run(1_000_000);
            TimingReport r = model.Report();
            Assert.That(r.UserCycles + r.SystemCycles, Is.EqualTo(r.TotalCycles));
            if (bareHandler)
            {
                Assert.That(r.SystemCycles, Is.GreaterThan(0), "the handler in the kernel half is system time");
            }

            return r.TotalCycles;
        }

        return (Cycles(300) - Cycles(100)) / 200.0;
    }

    [Test]
    public void UserCodeAtCplZeroStaysUserTime()
    {
        // KML: a trusted process runs its own (lower-half) code at CPL 0; that is still user time.
        var k = new KernelMachine();
        k.Kernel(a =>
        {
            a.mov(rax, 1);
            a.add(rax, rbx);
            a.hlt();
        });
        var model = (TimingModel)CpuProfiles.Opteron850.Attach(k.Cpu);
        k.Machine.Run(100);
        TimingReport r = model.Report();
        Assert.Multiple(() =>
        {
            Assert.That(r.UserCycles, Is.GreaterThan(0));
            Assert.That(r.SystemCycles, Is.Zero);
        });
    }

    [Test]
    public void TheSameRunTwiceGivesIdenticalCyclesAndCounters()
    {
        TimingReport Once() => TimedSnippet.Run(
            a =>
            {
                a.mov(rax, __qword_ptr[rsi]);
                a.imul(rax, rax);
                a.add(rsi, 64);
                a.and(rsi, 0x10_FFFF);
            },
            5000,
            m =>
            {
                m.Map(TimedSnippet.Data, 0x10000, PageFlags.User | PageFlags.Writable);
                m.Cpu.SetRegister(KmlSim.Isa.Gpr.Rsi, TimedSnippet.Data);
            },
            null);
        TimingReport first = Once(), second = Once();
        Assert.Multiple(() =>
        {
            Assert.That(second.TotalCycles, Is.EqualTo(first.TotalCycles));
            Assert.That(second.Counters, Is.EqualTo(first.Counters));
            Assert.That(second.RegionCycles, Is.EqualTo(first.RegionCycles));
        });
    }

    [Test]
    public void EveryInstructionTheInterpreterExecutesHasACostEntry()
    {
        var missing = new List<Code>();
        foreach (Code code in Enum.GetValues<Code>())
        {
            if (code != Code.INVALID && HandlerTable.Default.Has(code) && !CostTable.For(KmlSim.Timing.Profiles.CpuProfiles.Opteron850.Instructions)[code].Known)
            {
                missing.Add(code);
            }
        }

        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void SystemInstructionCostsComeFromTheReference()
    {
        // reference §4: SYSCALL 27, SYSRET 35 ([AMD-25112] Table 13); CPUID 127; LFENCE 5; POPF 10.
        Assert.Multiple(() =>
        {
            Assert.That(CostTable.For(KmlSim.Timing.Profiles.CpuProfiles.Opteron850.Instructions)[Code.Syscall].Latency, Is.EqualTo(27));
            Assert.That(CostTable.For(KmlSim.Timing.Profiles.CpuProfiles.Opteron850.Instructions)[Code.Sysretq].Latency, Is.EqualTo(35));
            Assert.That(CostTable.For(KmlSim.Timing.Profiles.CpuProfiles.Opteron850.Instructions)[Code.Syscall].Serialising, Is.True);
            Assert.That(CostTable.For(KmlSim.Timing.Profiles.CpuProfiles.Opteron850.Instructions)[Code.Cpuid].Latency, Is.EqualTo(127));
            Assert.That(CostTable.For(KmlSim.Timing.Profiles.CpuProfiles.Opteron850.Instructions)[Code.Lfence].Latency, Is.EqualTo(5));
            Assert.That(CostTable.For(KmlSim.Timing.Profiles.CpuProfiles.Opteron850.Instructions)[Code.Popfq].Latency, Is.EqualTo(10));
        });
    }

    [Test]
    public void RdtscAndTheTimerCountCycles()
    {
        // With the timing model the TSC is the cycle count: a DIV r64 (71-72 cycles) between two RDTSCs.
        var m = new SnippetMachine();
        m.LoadCode(0x40_0000, a =>
        {
            a.rdtsc();
            a.mov(r8, rax);
            a.div(rbx);
            a.mov(r9, rax);
            a.rdtsc();
            a.sub(rax, r8);
            a.hlt();
        });
        m.Cpu.SetRegister(KmlSim.Isa.Gpr.Rbx, 1);
        var model = (TimingModel)CpuProfiles.Opteron850.Attach(m.Cpu);
        m.Run(100);
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.GetRegister(KmlSim.Isa.Gpr.Rax), Is.GreaterThanOrEqualTo(71UL));
            Assert.That(m.Cpu.Timer.Clock, Is.SameAs(model));
        });
    }

    [Test]
    public void WithoutAnObserverTheCpuReportsNothing()
    {
        var m = new SnippetMachine();
        m.LoadCode(0x40_0000, a => { a.add(rax, 1); a.hlt(); });
        var recorder = new Recorder();
        m.Cpu.Observer = recorder;
        m.Cpu.Observer = null;
        m.Run(10);
        Assert.That(recorder.Count, Is.Zero);
    }

    [Test]
    public void TheObserverSeesAddressesOfExplicitStackAndStringAccesses()
    {
        var m = new SnippetMachine();
        m.Map(0x60_0000, 0x1000, PageFlags.User | PageFlags.Writable);
        m.LoadCode(0x40_0000, a =>
        {
            a.mov(__qword_ptr[rbx + 8], rax);
            a.push(rax);
            a.movsb();
            a.hlt();
        });
        m.Cpu.SetRegister(KmlSim.Isa.Gpr.Rbx, 0x60_0000);
        m.Cpu.SetRegister(KmlSim.Isa.Gpr.Rsp, 0x60_0800);
        m.Cpu.SetRegister(KmlSim.Isa.Gpr.Rsi, 0x60_0100);
        m.Cpu.SetRegister(KmlSim.Isa.Gpr.Rdi, 0x60_0200);
        var recorder = new Recorder();
        m.Cpu.Observer = recorder;
        m.Run(10);
        Assert.Multiple(() =>
        {
            Assert.That(recorder.Count, Is.EqualTo(3));
            Assert.That(recorder.Seen[0].Access0.Address, Is.EqualTo(0x60_0008UL));
            Assert.That(recorder.Seen[0].Access0.IsWrite, Is.True);
            Assert.That(recorder.Seen[1].Access0.Address, Is.EqualTo(0x60_07F8UL), "PUSH writes [RSP - 8]");
            Assert.That(recorder.Seen[2].AccessCount, Is.EqualTo(2));
            Assert.That(recorder.Seen[2].Access0.Address, Is.EqualTo(0x60_0100UL), "MOVSB reads [RSI]");
            Assert.That(recorder.Seen[2].Access1.Address, Is.EqualTo(0x60_0200UL), "and writes [RDI]");
        });
    }

    [Test]
    public void AProfileVariantChangesOnlyWhatItNames()
    {
        // A sensitivity study: DRAM at 95 ns (the 4-socket figure of [McCalpin]) instead of 80.4 ns.
        CpuProfile slow = CpuProfiles.Opteron850 with { DramLatencyNanoseconds = 95 };
        Assert.Multiple(() =>
        {
            Assert.That(CpuProfiles.Opteron850.DramLatency, Is.EqualTo(193), "80.4 ns at 2.4 GHz");
            Assert.That(slow.DramLatency, Is.EqualTo(228));
            Assert.That(slow.L2Latency, Is.EqualTo(CpuProfiles.Opteron850.L2Latency));
        });
    }

    [Test]
    public void TheLocalTimerCountsCyclesWhenTimed()
    {
        // A dependent DIV r64 chain (71 cycles each, reference §3) under a 10,000-cycle timer: about one
        // expiry per 140 DIVs, where the functional clock (1 tick per instruction) would give one per 10,000.
        (KernelMachine k, TimingModel model) = TimedDivChain(a => a.iretq());
        k.Cpu.Timer.Start(0x40, 10_000);
        k.Machine.Run(28_000); // about 14,000 DIVs = about 1,000,000 cycles
        TimingReport r = model.Report();
        Assert.Multiple(() =>
        {
            Assert.That(k.Cpu.Timer.Expiries, Is.EqualTo(r.TotalCycles / 10_000).Within(1));
            Assert.That(r.Counters["events"], Is.EqualTo(k.Cpu.Timer.Expiries).Within(1), "each expiry delivered on time, none merged");
            Assert.That(r.RegionCycles["Interrupt"], Is.GreaterThan(0));
        });
    }

    [Test]
    public void TheTimerInterruptComesRightAfterTheInstructionThatReachesTheDeadline()
    {
        // The model reports the deadline itself, so the interrupt is taken at the first instruction boundary
        // at or after it. The reference run steps the same DIV chain one instruction at a time to find the
        // first instruction that retires at or after cycle 10,000 (the cold start takes the first 1,000 or so).
        const long Period = 10_000;
        (KernelMachine reference, TimingModel referenceModel) = TimedDivChain(a => a.hlt());
        int reaching = 0;
        while (referenceModel.Now < Period)
        {
            reference.Machine.Run(1);
            reaching++;
        }

        (KernelMachine k, _) = TimedDivChain(a => a.hlt());
        k.Cpu.Timer.Start(0x40, Period);

        Assert.That(k.Machine.Run(10_000), Is.EqualTo(StopReason.Halted));
        Assert.That(k.Cpu.InstructionsRetired, Is.EqualTo(reaching + 1), "the DIVs and JMPs up to the deadline, then the handler's HLT");
    }

    /// <summary>A dependent DIV r64 chain in the kernel with IF = 1, <paramref name="handler"/> for vector 0x40 (HLT stops the run), and the timing model.</summary>
    private static (KernelMachine Machine, TimingModel Model) TimedDivChain(Action<Assembler> handler)
    {
        var k = new KernelMachine();
        k.Gate(0x40, k.Handler(handler));
        k.Kernel(
            a =>
            {
                var loop = a.CreateLabel();
                a.Label(ref loop);
                a.div(rbx);
                a.jmp(loop);
            },
            interruptsEnabled: true);
        k.Cpu.SetRegister(KmlSim.Isa.Gpr.Rbx, 1);
        return (k, (TimingModel)CpuProfiles.Opteron850.Attach(k.Cpu));
    }

    [Test]
    public void KernelWorkIsSystemTimeInTheSyscallBodyRegion()
    {
        // The work hook: base cost (profile estimate) + bytes at REP MOVSQ's 15.6 B/clk ([InstLat-X2]).
        var m = new SnippetMachine();
        m.Map(0x60_0000, 0x2000, PageFlags.User | PageFlags.Writable);
        var model = (TimingModel)CpuProfiles.Opteron850.Attach(m.Cpu);
        model.EnterRegion(AccountingRegion.SyscallEntryExit);
        var getppid = new SyscallIdentity(110, "getppid", KernelPathId.Getppid);
        model.BeginSyscall(getppid);
        model.Charge(getppid, 1560, IoTarget.Unspecified);
        model.ChargeCopy(0x60_0000, 4096, toUser: true);
        TimingReport r = model.Report();
        Assert.Multiple(() =>
        {
            Assert.That(r.Syscalls["getppid"].Count, Is.EqualTo(1));
            Assert.That(r.Syscalls["getppid"].Cycles, Is.EqualTo(r.TotalCycles), "the body and its copy belong to the call");
            Assert.That(r.SystemCycles, Is.EqualTo(r.TotalCycles));
            Assert.That(r.RegionCycles["SyscallBody"], Is.EqualTo(r.TotalCycles), "body and copies");
            Assert.That(r.Counters["l1dMisses"], Is.GreaterThanOrEqualTo(64), "the copy touched its 64 lines (and the page-table lines of 2 walks)");
        });
    }

    private sealed class Recorder : IRetireObserver
    {
        public List<RetiredInstruction> Seen { get; } = [];

        public int Count => Seen.Count;

        public void Retire(in RetiredInstruction instruction) => Seen.Add(instruction);
    }
}
