namespace KmlSim.Timing.Accounting;

/// <summary>
/// The common path of one Linux 2.6.11 system call body, as work to charge: its ordinary instructions
/// (converted to cycles with <see cref="Profiles.CpuProfile.KernelInstructionsPerCycle"/>), its LOCK-prefixed
/// read-modify-writes (semaphores, spin locks, reference counts: each at the locked cost of the table) and its
/// fences (LFENCE). See <see cref="Profiles.KernelPaths"/> for the figures and where they come from.
/// </summary>
/// <param name="Instructions">Ordinary instructions between the dispatch CALL and the handler's RET (neither included).</param>
/// <param name="LockedOperations">LOCK-prefixed read-modify-writes on the path.</param>
/// <param name="Fences">LFENCEs on the path (rmb() on x86-64 2.6.11).</param>
/// <param name="PageInvalidations">INVLPGs on the path (flush_tlb_page).</param>
public readonly record struct KernelPath(int Instructions, int LockedOperations, int Fences, int PageInvalidations = 0);
