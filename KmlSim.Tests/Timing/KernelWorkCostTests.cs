using KmlSim.Memory;
using KmlSim.Observation;
using KmlSim.Tests.Kernel.Elf;
using KmlSim.Timing;
using KmlSim.Timing.Accounting;
using KmlSim.Timing.Profiles;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Timing;

/// <summary>
/// The kernel-work cost model: a body's 2.6.11 path (instructions at the profile's kernel IPC, locked operations
/// at LOCK ADD's measured 19 cycles, fences at LFENCE's 5: reference §3-4), its copies at REP MOVSQ's 15.6 B/clk
/// ([InstLat-X2]), and the copied user buffers through the simulated caches.
/// </summary>
[Category("Timing")]
public sealed class KernelWorkCostTests
{
    private const int LockedRmw = 19;
    private const int Lfence = 5;

    [Test]
    public void APathCostsItsInstructionsAtTheKernelIpcPlusItsLocksAndFences()
    {
        CpuProfile halfIpc = CpuProfiles.Opteron850 with { KernelInstructionsPerCycle = 0.5 };
        var costs = new KernelWorkCosts(halfIpc);
        KernelPath getppid = CpuProfiles.Opteron850.KernelPaths.Of(KernelPathId.Getppid)!.Value;
        KernelPath pread = CpuProfiles.Opteron850.KernelPaths.Of(KernelPathId.Pread64)!.Value;
        Assert.Multiple(() =>
        {
            Assert.That(getppid.Fences, Is.EqualTo(1), "2.6.11 sys_getppid's rmb()");
            Assert.That(costs.PathCycles(KernelPathId.Getppid), Is.EqualTo((getppid.Instructions * 2) + Lfence));
            Assert.That(costs.PathCycles(KernelPathId.Pread64), Is.EqualTo((pread.Instructions * 2) + (pread.LockedOperations * LockedRmw)));
            Assert.That(costs.BodyCycles(KernelPathId.Pread64, 1560), Is.EqualTo(costs.PathCycles(KernelPathId.Pread64) + 100), "1560 bytes at 15.6 B/clk");
            Assert.That(costs.PathCycles(KernelPathId.Unestimated), Is.EqualTo(halfIpc.SyscallBodyBaseCycles), "no path: the profile's estimate");
        });
    }

    [TestCase(KernelPathId.Write, IoTarget.NullDevice, 16 + 14 + 2 + 65 + 2, 0)] // sys_write, fget/fput_light, vfs_write, write_null
    [TestCase(KernelPathId.Read, IoTarget.Pipe, 16 + 14 + 2 + 65 + 150, 3)] // sys_read ... vfs_read, pipe_read(v)
    [TestCase(KernelPathId.Write, IoTarget.Socket, 16 + 14 + 2 + 65 + 20 + 30 + 20 + 220, 11)] // ... do_sync_write, sock_aio_write, __sock_sendmsg, unix_stream_sendmsg
    [TestCase(KernelPathId.Read, IoTarget.RegularFile, 16 + 14 + 2 + 65 + 220, 3)] // ... vfs_read, generic_file_read of one cached page
    public void ReadAndWriteTakeThePathOfTheirTarget(KernelPathId call, IoTarget target, int instructions, int locked)
    {
        // Kernel IPC 1.0 (the profile's estimate): one cycle per counted instruction, plus LOCK ADD's 19 per locked operation.
        var costs = new KernelWorkCosts(CpuProfiles.Opteron850);
        Assert.That(costs.PathCycles(call, target), Is.EqualTo(instructions + (locked * LockedRmw)));
    }

    [TestCase(IoTarget.Unspecified)]
    [TestCase(IoTarget.Terminal)]
    public void AWriteWithoutACountedPathCostsTheProfilesEstimate(IoTarget target) =>
        Assert.That(new KernelWorkCosts(CpuProfiles.Opteron850).PathCycles(KernelPathId.Write, target), Is.EqualTo(CpuProfiles.Opteron850.SyscallBodyBaseCycles));

    [Test]
    public void ACopyOnWriteFaultCostsItsPathAndThePageCopy()
    {
        // INVLPG is the cost table's named estimate; the copy is 4,096 bytes at REP MOVSQ's 15.6 B/clk.
        const int Invlpg = 75;
        var costs = new KernelWorkCosts(CpuProfiles.Opteron850);
        KernelPath copy = CpuProfiles.Opteron850.KernelPaths.CopyOnWriteCopy;
        KernelPath reuse = CpuProfiles.Opteron850.KernelPaths.CopyOnWriteReuse;
        Assert.Multiple(() =>
        {
            Assert.That(costs.CopyOnWriteCycles(copied: true), Is.EqualTo(copy.Instructions + (copy.LockedOperations * LockedRmw) + Invlpg + 263));
            Assert.That(costs.CopyOnWriteCycles(copied: false), Is.EqualTo(reuse.Instructions + (reuse.LockedOperations * LockedRmw) + Invlpg));
        });
    }

    [Test]
    public void ACopyOnWriteFaultDropsThePageFromTheTlbsAndIsChargedToItsRegion()
    {
        var m = new SnippetMachine();
        var model = (TimingModel)CpuProfiles.Opteron850.Attach(m.Cpu);
        const ulong Page = 0x60_0000;
        model.Core.Memory.Load(Page, 8, 0); // the page's translation is in the L1 DTLB now
        long missesBefore = model.Core.Memory.DataTlb.L1Misses;
        model.EnterRegion(AccountingRegion.Interrupt);

        model.ChargeCopyOnWrite(Page, copied: true);
        model.Core.Memory.Load(Page + 8, 8, 0);

        TimingReport r = model.Report();
        Assert.Multiple(() =>
        {
            Assert.That(model.Core.Memory.DataTlb.L1Misses, Is.EqualTo(missesBefore + 1), "INVLPG dropped the page: the next access misses");
            Assert.That(r.RegionCycles["Interrupt"], Is.EqualTo(r.TotalCycles), "a fault's work is interrupt/exception time");
            Assert.That(r.TotalCycles, Is.GreaterThanOrEqualTo(new KernelWorkCosts(CpuProfiles.Opteron850).CopyOnWriteCycles(copied: true)));
        });
    }

    [Test]
    public void AWriteOfAColdBufferPaysForItsMissesInTheBody()
    {
        // write(2, buffer, 32 KB) from a buffer the program never touched: the copy_from_user reads 512 lines
        // that miss every cache, charged to the write's body beyond its path and per-byte cost.
        const int Bytes = 32 * 1024;
        RunResult result = ElfImageBuilder.RunProgram(a =>
        {
            a.mov(eax, 9); // mmap(0, Bytes, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
            a.xor(edi, edi);
            a.mov(esi, Bytes);
            a.mov(edx, 3);
            a.mov(r10d, 0x22);
            a.mov(r8, -1);
            a.xor(r9d, r9d);
            a.syscall();
            a.mov(rsi, rax); // write(2, buffer, Bytes)
            a.mov(eax, 1);
            a.mov(edi, 2);
            a.mov(edx, Bytes);
            a.syscall();
            a.mov(eax, 231);
            a.xor(edi, edi);
            a.syscall();
        }, new MachineOptions { KernelMode = KernelMode.Stock, Timing = CpuProfiles.Opteron850 });
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Exited), result.Message);
        SyscallCycles write = result.Timing!.Syscalls["write"];
        long pathAndBytes = new KernelWorkCosts(CpuProfiles.Opteron850).BodyCycles(KernelPathId.Write, Bytes);
        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr.Length, Is.EqualTo(Bytes));
            Assert.That(write.Count, Is.EqualTo(1));
            Assert.That(write.Breakdown[CycleCauses.SyscallBody] - pathAndBytes, Is.GreaterThanOrEqualTo(Bytes / 64 * CpuProfiles.Opteron850.L2Latency), "every line missed at least L1");
            Assert.That(result.Timing.Counters[CycleCauses.MemoryStallCycles], Is.GreaterThanOrEqualTo(write.Breakdown[CycleCauses.SyscallBody] - pathAndBytes));
        });
    }
}
