namespace KmlSim.Observation;

/// <summary>
/// The stable key names of <see cref="TimingReport.Breakdown"/> and <see cref="SyscallCycles.Breakdown"/>: where
/// the cycles went, by cause. Every retired instruction, event delivery, metered piece of kernel work and
/// halted cycle falls under exactly one key, so the values of a breakdown add up exactly to
/// <see cref="TimingReport.TotalCycles"/> + <see cref="TimingReport.IdleCycles"/> (idle: the machine waited
/// for a timer with nothing to run, e.g. every process asleep in nanosleep, or the CPU executed HLT). Each retired instruction is charged retire(i) - retire(i-1): stalls it waited out (a
/// refill, a miss) belong to it. Instruction kinds are recognised wherever they execute; the kernel's code
/// ranges are the ones the kernel declared with <see cref="IKernelWorkMeter.MapCode"/>.
/// <see cref="RefillCycles"/> and <see cref="MemoryStallCycles"/> are <see cref="TimingReport.Counters"/> keys
/// that cut across the breakdown (they explain it; they are not part of its sum).
/// </summary>
public static class CycleCauses
{
    /// <summary>User code: instructions in the lower half of the address space (whatever the CPL, so a KML process's own code and its call to the direct entry), except SYSCALL.</summary>
    public const string User = "user";

    /// <summary>The SYSCALL instruction (stock entry; a trusted process's SYSCALL translated into KML's direct call is user code).</summary>
    public const string SyscallInstruction = "syscallInstruction";

    /// <summary>SYSRET (the stock fast exit).</summary>
    public const string Sysret = "sysret";

    /// <summary>SWAPGS, on any path (system call and interrupt entry/exit).</summary>
    public const string Swapgs = "swapgs";

    /// <summary>IRETQ (the interrupt return, also the slow system call exit).</summary>
    public const string Iretq = "iretq";

    /// <summary>Every other instruction of the kernel's entry and exit code (system call and interrupt paths, KML's direct entry and return, the dispatch CALL through the table).</summary>
    public const string EntryExit = "entryExit";

    /// <summary>System call bodies: the handler the table dispatches to, the kernel work charged for it (<see cref="IKernelWorkMeter.Charge"/>) and its user copies (<see cref="IKernelWorkMeter.ChargeCopy"/>).</summary>
    public const string SyscallBody = "syscallBody";

    /// <summary>Interrupts, exceptions and the scheduler: event deliveries, their handlers, and the exit work (signal delivery, rescheduling).</summary>
    public const string Interrupt = "interrupt";

    /// <summary>Kernel-half code in no range the kernel declared (hand-built kernel code in snippet machines).</summary>
    public const string KernelOther = "kernelOther";

    /// <summary>Cycles the machine spent idle (<see cref="TimingReport.IdleCycles"/>); a sleep inside a system call is part of that call's figures.</summary>
    public const string Idle = "idle";

    /// <summary>
    /// Counter (not part of the breakdown's sum): front-end refill cycles, i.e. after each serialising
    /// instruction and each mispredicted branch, the cycles from its completion until the front end delivers
    /// instructions again.
    /// </summary>
    public const string RefillCycles = "refillCycles";

    /// <summary>
    /// Counter (not part of the breakdown's sum): memory stall cycles, the latency that cache and TLB misses
    /// add beyond an L1 hit (loads, instruction fetch, page walks, block copies). Overlapping misses each count
    /// their own latency, so this bounds the exposed stall from above.
    /// </summary>
    public const string MemoryStallCycles = "memoryStallCycles";

    /// <summary>
    /// The kernel crossing itself: the entry and exit instructions of every path (SYSCALL, SYSRET, SWAPGS,
    /// IRETQ and the rest of the entry/exit code), what KML removes or replaces. Whatever else changes between
    /// kernel modes is indirect: user code and bodies running on caches, TLBs and predictors that different
    /// kernel code left in a different state.
    /// </summary>
    public static IReadOnlyList<string> Crossing { get; } = [SyscallInstruction, Sysret, Swapgs, Iretq, EntryExit];

    /// <summary>The breakdown keys, in report order.</summary>
    public static IReadOnlyList<string> All { get; } = [User, SyscallInstruction, Sysret, Swapgs, Iretq, EntryExit, SyscallBody, Interrupt, KernelOther, Idle];
}
