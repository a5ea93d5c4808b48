using KmlSim.Execution;
using KmlSim.Observation;

namespace KmlSim.Timing.Profiles;

/// <summary>
/// Every parameter of the timing model, with its source. Immutable: derive variants for sensitivity
/// studies with <c>CpuProfiles.Opteron850 with { DramLatencyNanoseconds = 95 }</c>. "reference" below means
/// AMD 25112, InstLatX86/MemLatX64 measurements or a named paper (the source is named per figure); "estimate" means no source was found
/// and the value is a named tunable, never fitted to a benchmark.
/// </summary>
public sealed record CpuProfile : ITimingModelFactory
{
    /// <summary>Display name.</summary>
    public required string Name { get; init; }

    /// <summary>Core clock in Hz. Opteron 850: 2.4 GHz (reference header, [LJ-8023] Table 1).</summary>
    public long ClockHz { get; init; } = 2_400_000_000;

    /// <summary>Macro-ops dispatched per cycle (reference §1 Decode: 3 macro-ops/cycle, [AMD-25112] §A.7).</summary>
    public int DispatchWidth { get; init; } = 3;

    /// <summary>Macro-ops retired per cycle (reference §1 Retire width: 3, [AMD-25112] §A.8).</summary>
    public int RetireWidth { get; init; } = 3;

    /// <summary>Reorder buffer in macro-ops (reference §1: 72 = 24 lines x 3, [AMD-25112] §A.8).</summary>
    public int ReorderBufferSize { get; init; } = 72;

    /// <summary>Integer scheduler entries, 3 x 8 (reference §1, [AMD-25112] §A.11).</summary>
    public int IntegerSchedulerSize { get; init; } = 24;

    /// <summary>FP scheduler entries, 12 lines x 3 (reference §1, [AMD-25112] §A.13).</summary>
    public int FpSchedulerSize { get; init; } = 36;

    /// <summary>Integer ALU pipes (reference §1: 3 identical pipes, [AMD-25112] §A.12).</summary>
    public int IntegerPipes { get; init; } = 3;

    /// <summary>Address generation units (reference §1: each pipe has an AGU, [AMD-25112] §A.12).</summary>
    public int AddressUnits { get; init; } = 3;

    /// <summary>L1D operations per cycle (reference §2 L1D ports: 2 per cycle, [AMD-25112] §A.15).</summary>
    public int L1Ports { get; init; } = 2;

    /// <summary>Front-end stages (fetch to dispatch) refilled after a serialising instruction (reference §1 Pipeline depth: stages 1-7 fetch/decode; PTLsim FRONTEND_STAGES 7).</summary>
    public int FrontEndStages { get; init; } = 7;

    /// <summary>Minimum branch mispredict restart in cycles (reference §1: minimum 10, [AMD-25112] §A.6).</summary>
    public int MispredictPenalty { get; init; } = 10;

    /// <summary>Redirect bubble of a predicted-taken branch (reference §1: 1 cycle, [AMD-25112] §A.6).</summary>
    public int TakenBranchBubble { get; init; } = 1;

    /// <summary>Global history bits of the branch predictor (reference §1: 8, [AMD-25112] §A.6).</summary>
    public int GlobalHistoryBits { get; init; } = 8;

    /// <summary>Address bits combined with the history (reference §1: 4, [AMD-25112] §A.6).</summary>
    public int PredictorAddressBits { get; init; } = 4;

    /// <summary>Two-bit counters (reference §1: 16384, [AMD-25112] Fig.6). The 2 index bits beyond history + address bits come from further IP bits: estimate of how the branch selectors pick among counters.</summary>
    public int PredictorCounters { get; init; } = 16384;

    /// <summary>Branch target buffer entries, direct and indirect (reference §1: 2048, [AMD-25112] §A.6). Organisation (direct-mapped by IP) is an estimate.</summary>
    public int BtbEntries { get; init; } = 2048;

    /// <summary>Bytes of a fetch window whose branches share the branch selectors (reference §1 Fetch and Branch density limit: 16-byte windows, [AMD-25112] ch.4, §6).</summary>
    public int BranchWindowBytes { get; init; } = 16;

    /// <summary>Branches a 16-byte window can have predicted (reference §1 Branch density limit: 3, [AMD-25112] §6 p.127).</summary>
    public int BranchesPerWindow { get; init; } = 3;

    /// <summary>Windows with branch selectors (reference §1: 4K branch selectors, [AMD-25112] §A.6; direct-mapped by window: estimate).</summary>
    public int BranchSelectorWindows { get; init; } = 4096;

    /// <summary>Return address stack entries (reference §1: 12, [AMD-25112] §6.4).</summary>
    public int ReturnStackEntries { get; init; } = 12;

    /// <summary>Cache line size in bytes (reference §2: 64 B for L1I, L1D, L2).</summary>
    public int LineBytes { get; init; } = 64;

    /// <summary>L1 instruction cache (reference §2 L1I: 64 KB, 2-way, LRU). A hit (2 cycles pipelined, [H&amp;P]) is hidden by fetch; only misses add front-end time.</summary>
    public CacheGeometry L1I { get; init; } = new(64 * 1024, 2);

    /// <summary>L1 data cache (reference §2 L1D: 64 KB, 2-way).</summary>
    public CacheGeometry L1D { get; init; } = new(64 * 1024, 2);

    /// <summary>Unified L2, exclusive of L1 (reference §2 L2: 1 MB, 16-way, victim). True LRU stands in for the 8-pair pseudo-LRU (simplification).</summary>
    public CacheGeometry L2 { get; init; } = new(1024 * 1024, 16);

    /// <summary>A shared L3, a victim cache of the L2's evictions (none on the K8: null). The model gives this core all of it.</summary>
    public CacheGeometry? L3 { get; init; }

    /// <summary>L1D load-use latency for 32/64-bit loads (reference §2: 3 cycles, [AMD-25112] Table 13; InstLat).</summary>
    public int L1LoadLatency { get; init; } = 3;

    /// <summary>L1D load-use latency for 8/16-bit loads (reference §2: 4 cycles, [AMD-25112] Table 13).</summary>
    public int L1NarrowLoadLatency { get; init; } = 4;

    /// <summary>L2 hit load-to-use latency (reference §2 L2 latency: measured 12 clks, [InstLat-248]).</summary>
    public int L2Latency { get; init; } = 12;

    /// <summary>L3 hit load-to-use latency (used only with an <see cref="L3"/>).</summary>
    public int L3Latency { get; init; }

    /// <summary>DRAM load-to-use latency in ns (reference §2: measured 80.4 ns on the Opteron 248, [InstLat-248]; the 4-socket 850 is quoted 80-95 ns, [McCalpin]).</summary>
    public double DramLatencyNanoseconds { get; init; } = 80.4;

    /// <summary>Store-to-load forwarding latency: store data to dependent load result. Derived: the rev E 64-bit MOV [m],r + MOV r,[m] round trip is 8 cycles ([InstLat-X2] #37), less 1 cycle for the store's own data path (derived estimate).</summary>
    public int StoreForwardLatency { get; init; } = 7;

    /// <summary>Stores kept for forwarding (reference §1 load/store unit: LS1 has 12 entries, [AMD-25112] §A.15).</summary>
    public int StoreBufferEntries { get; init; } = 12;

    /// <summary>L1 TLB 4 KB entries, fully associative (reference §2 L1 DTLB/ITLB: 32, CPUID 8000_0005).</summary>
    public int L1TlbEntries { get; init; } = 32;

    /// <summary>L1 TLB 2 MB entries, fully associative (reference §2 L1 DTLB/ITLB: 8, CPUID 8000_0005 EAX=FF08FF08h); the L2 TLBs hold no 2 MB entries (CPUID 8000_0006 EAX=0).</summary>
    public int L1TlbLargeEntries { get; init; } = 8;

    /// <summary>L2 TLB 4 KB entries (reference §2: 512, 4-way, CPUID 8000_0006).</summary>
    public int L2TlbEntries { get; init; } = 512;

    /// <summary>L2 TLB associativity (reference §2: 4-way).</summary>
    public int L2TlbWays { get; init; } = 4;

    /// <summary>Extra cycles of an L1 TLB miss that hits the L2 TLB (reference §2 TLB miss cost: "a few cycles", estimate).</summary>
    public int L2TlbHitPenalty { get; init; } = 3;

    /// <summary>Fixed cost of starting a page walk, on top of the four page-table reads through the caches (estimate; the reference's derived 30-35 extra cycles include the reads).</summary>
    public int PageWalkOverhead { get; init; } = 4;

    /// <summary>
    /// Next-line prefetch on L1I misses (reference §2 L1I: "fetch brings aligned 64 B line + next-line
    /// prefetch", [AMD-25112] §A.5). No data prefetcher is modelled: the reference documents none.
    /// </summary>
    public bool InstructionNextLinePrefetch { get; init; } = true;

    /// <summary>What each instruction costs, by class with per-form overrides, and the delivery of an exception or interrupt (the K8's by default; see <see cref="InstructionCosts"/>).</summary>
    public InstructionCosts Instructions { get; init; } = new();

    /// <summary>Kernel work hook: the 2.6.11 common paths of the system call bodies and faults the kernel reports (see <see cref="Profiles.KernelPaths"/>).</summary>
    public KernelPaths KernelPaths { get; init; } = new();

    /// <summary>Kernel work hook: cycles of a system call body for which <see cref="KernelPaths"/> has no 2.6.11 path (estimate; see <see cref="Accounting.KernelWorkCosts"/>).</summary>
    public int SyscallBodyBaseCycles { get; init; } = 40;

    /// <summary>
    /// Kernel work hook: instructions per cycle of the 2.6.11 system call bodies (<see cref="KernelPaths"/>),
    /// locked operations and fences apart. ESTIMATE, not in the reference: kernel paths are chains of dependent
    /// pointer loads (3 cycles each in L1, reference §2) and compare-and-branch steps, far from the 3-wide peak;
    /// a round 1.0 is taken, not fitted to any result.
    /// </summary>
    public double KernelInstructionsPerCycle { get; init; } = 1.0;

    /// <summary>Kernel work hook: bytes copied per cycle between user and kernel (REP MOVSQ in L1 measured 15.6 B/clk, [InstLat-X2]; 2.6.11 copy_user uses it).</summary>
    public double CopyBytesPerCycle { get; init; } = 15.6;

    /// <summary>DRAM latency in cycles at <see cref="ClockHz"/>.</summary>
    public int DramLatency => (int)Math.Round(DramLatencyNanoseconds * ClockHz / 1e9);

    /// <inheritdoc/>
    public ITimingModel Attach(Cpu cpu) => new TimingModel(this, cpu);
}
