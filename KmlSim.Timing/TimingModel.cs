using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Observation;
using KmlSim.Timing.Accounting;
using KmlSim.Timing.Costs;
using KmlSim.Timing.Pipeline;
using KmlSim.Timing.Profiles;

namespace KmlSim.Timing;

/// <summary>
/// The K8 timing model attached to one CPU: it receives every retired instruction, runs it through the
/// <see cref="OutOfOrderCore"/>, charges the cycles to user or system time, is the local timer's clock and
/// the time-stamp counter, and meters the kernel's host-side work (<see cref="KernelWorkCosts"/>).
/// </summary>
public sealed class TimingModel : ITimingModel
{
    private readonly OutOfOrderCore core;
    private readonly KernelWorkCosts kernelWork;
    private readonly LocalTimer timer;
    private long idle;

    // The timer's next expiry: the instruction (or kernel work) that reaches it tells the timer, so the
    // interrupt is taken at that instruction boundary and the run loop never polls the clock.
    private long deadline = long.MaxValue;

    /// <summary>Creates the model and attaches it to <paramref name="cpu"/> (observer, timer clock, TSC).</summary>
    public TimingModel(CpuProfile profile, Cpu cpu)
    {
        Profile = profile;
        core = new OutOfOrderCore(profile, CostTable.For(profile.Instructions));
        kernelWork = new KernelWorkCosts(profile);
        core.Memory.IsLargePage = cpu.Mmu.InLargePage;
        timer = cpu.Timer;
        cpu.Observer = this;
        timer.Clock = this;
        cpu.TimeStampSource = () => (ulong)Now;
    }

    /// <summary>The profile.</summary>
    public CpuProfile Profile { get; }

    /// <summary>Cycle accounts.</summary>
    public CycleAccounts Accounts { get; } = new();

    /// <summary>The pipeline (counters, caches, predictor).</summary>
    public OutOfOrderCore Core => core;

    /// <inheritdoc/>
    public long Now => core.LastRetire + idle;

    /// <inheritdoc/>
    public long UserCycles => Accounts.User;

    /// <inheritdoc/>
    public long SystemCycles => Accounts.System;

    /// <inheritdoc/>
    public void Retire(in RetiredInstruction instruction)
    {
        long before = core.LastRetire;
        long retire = core.Retire(in instruction);
        if (instruction.IsEvent)
        {
            core.Counters.Events++;
        }

        Accounts.Retired(in instruction, retire - before);
        CheckDeadline();
    }

    /// <inheritdoc/>
    /// <remarks>This clock reports the deadline itself (<see cref="LocalTimer.DeadlineReached"/>): no instruction limit.</remarks>
    public long InstructionsBefore(long deadline)
    {
        this.deadline = deadline;
        CheckDeadline();
        return long.MaxValue;
    }

    /// <inheritdoc/>
    public void IdleUntil(long deadline)
    {
        long halted = Math.Max(deadline - Now, 0);
        idle += halted;
        Accounts.ChargeIdle(halted);
    }

    /// <inheritdoc/>
    public void Charge(SyscallIdentity call, long bytesCopied, IoTarget target)
    {
        Accounts.ChargeBody(call, Stall(kernelWork.BodyCycles(call.Path, bytesCopied, target)));
        CheckDeadline();
    }

    /// <inheritdoc/>
    public void ChargeCopy(ulong user, long length, bool toUser)
    {
        Accounts.ChargeCopy(Stall(core.Memory.Block(user, length)));
        CheckDeadline();
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The fault's path and copy (<see cref="KernelWorkCosts.CopyOnWriteCycles"/>); a copied page's lines go through
    /// the caches (the model's caches see linear addresses, so the old and the new frame are the same lines),
    /// then the page leaves the TLBs. Charged like a copy: to the fault's interrupt region, or to the system
    /// call whose copy to user memory met the page.
    /// </remarks>
    public void ChargeCopyOnWrite(ulong page, bool copied)
    {
        long misses = copied ? core.Memory.Block(page, KernelWorkCosts.PageBytes) : 0;
        Accounts.ChargeCopy(Stall(kernelWork.CopyOnWriteCycles(copied) + misses));
        core.Memory.FlushTlbs(page);
        CheckDeadline();
    }

    /// <inheritdoc/>
    public void ChargeVsyscall(VsyscallEntry entry)
    {
        Accounts.ChargeUser(Stall(kernelWork.VsyscallCycles(entry)));
        CheckDeadline();
    }

    /// <inheritdoc/>
    public void EnterRegion(AccountingRegion region) => Accounts.KernelRegion = region;

    /// <inheritdoc/>
    public void BeginSyscall(SyscallIdentity call) => Accounts.BeginSyscall(call);

    /// <inheritdoc/>
    public void MapCode(ulong start, long length, AccountingRegion region) => Accounts.MapCode(start, length, region);

    /// <summary>Kernel work done on the host: the core stalls for it; returns the cycles that passed.</summary>
    private long Stall(long cycles)
    {
        long before = core.LastRetire;
        core.Stall(cycles);
        return core.LastRetire - before;
    }

    private void CheckDeadline()
    {
        if (Now >= deadline)
        {
            deadline = long.MaxValue; // reported once; the timer's next expiry arrives with the next question
            timer.DeadlineReached();
        }
    }

    /// <inheritdoc/>
    public TimingReport Report()
    {
        TimingCounters c = core.Counters;
        MemoryTiming m = core.Memory;
        return new TimingReport
        {
            TotalCycles = Accounts.Total,
            UserCycles = Accounts.User,
            SystemCycles = Accounts.System,
            IdleCycles = idle,
            Counters = new Dictionary<string, long>
            {
                ["instructions"] = c.Instructions,
                ["macroOps"] = c.MacroOps,
                ["ipcX1000"] = Accounts.Total == 0 ? 0 : c.Instructions * 1000 / Accounts.Total,
                ["branches"] = c.Branches,
                ["branchMispredicts"] = c.BranchMispredicts,
                ["returnMispredicts"] = c.ReturnMispredicts,
                ["serialisations"] = c.Serialisations,
                ["events"] = c.Events,
                ["l1iMisses"] = m.Caches.L1IMisses,
                ["l1dMisses"] = m.Caches.L1DMisses,
                ["l2Misses"] = m.Caches.L2Misses,
                ["dtlbL1Misses"] = m.DataTlb.L1Misses,
                ["itlbL1Misses"] = m.InstructionTlb.L1Misses,
                ["pageWalks"] = m.DataTlb.Walks + m.InstructionTlb.Walks,
                ["storeForwards"] = m.Forwards,
                [CycleCauses.RefillCycles] = c.RefillCycles,
                [CycleCauses.MemoryStallCycles] = m.MissCycles,
            },
            RegionCycles = Accounts.Regions(),
            Breakdown = Accounts.Breakdown(),
            InstructionBreakdown = Accounts.InstructionBreakdown(),
            Syscalls = Accounts.Syscalls(),
        };
    }
}
