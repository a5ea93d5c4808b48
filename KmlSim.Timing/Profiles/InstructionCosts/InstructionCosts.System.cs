using KmlSim.Timing.Costs;
using static KmlSim.Timing.Costs.InstructionCost;

namespace KmlSim.Timing.Profiles;

/// <summary>System and privileged instructions (all VectorPath, most serialising; K8 figures).</summary>
public sealed partial record InstructionCosts
{
    /// <summary>SYSCALL: VectorPath, latency 27 ([AMD-25112] Table 13 p.300); a far transfer, never predicted.</summary>
    public InstructionCost Syscall { get; init; } = Microcoded(27, branch: BranchKind.Far);

    /// <summary>SYSRET: VectorPath, latency 35 ([AMD-25112] Table 13 p.300).</summary>
    public InstructionCost Sysret { get; init; } = Microcoded(35, branch: BranchKind.Far);

    /// <summary>SWAPGS: not in Table 13; estimate 8-12 (a microcoded swap of two MSR-backed bases), 10 taken.</summary>
    public InstructionCost Swapgs { get; init; } = Microcoded(10);

    /// <summary>IRETQ: not retrieved from Table 13; estimate 60-80 (a far transfer, not predicted, plus microcode), 70 taken.</summary>
    public InstructionCost Iret { get; init; } = Microcoded(70, branch: BranchKind.Far);

    /// <summary>INT n, INT3, INTO, INT1: estimate, an IDT delivery taken like IRETQ.</summary>
    public InstructionCost SoftwareInterrupt { get; init; } = Microcoded(70, branch: BranchKind.Far);

    /// <summary>RDMSR: estimate 50-70 (serialising, APM vol. 3), 60 taken.</summary>
    public InstructionCost Rdmsr { get; init; } = Microcoded(60);

    /// <summary>WRMSR: estimate 60-100 (serialising, APM vol. 3), 80 taken.</summary>
    public InstructionCost Wrmsr { get; init; } = Microcoded(80);

    /// <summary>MOV CRn, r: estimate 100 and more; a CR3 write's TLB flush and refill are modelled by the TLBs, not here.</summary>
    public InstructionCost MoveToControlRegister { get; init; } = Microcoded(100);

    /// <summary>MOV r, CRn: estimate 10 (reading a control register is a simple microcoded move).</summary>
    public InstructionCost MoveFromControlRegister { get; init; } = Microcoded(10);

    /// <summary>INVLPG: estimate 50-100, 75 taken; the TLB entry's removal is modelled by the TLBs.</summary>
    public InstructionCost Invlpg { get; init; } = Microcoded(75);

    /// <summary>CLI, STI: estimate 4 (VectorPath), not serialising.</summary>
    public InstructionCost InterruptFlag { get; init; } = Microcoded(4, serialising: false);

    /// <summary>PUSHF(Q): measured T 2 ([InstLat-248] #502).</summary>
    public InstructionCost PushFlags { get; init; } = Of(2, 2, DecodePath.Vector);

    /// <summary>POPF(Q): measured T 10 ([InstLat-248] #503), not serialising.</summary>
    public InstructionCost PopFlags { get; init; } = Microcoded(10, serialising: false);

    /// <summary>CPUID: EAX=1 measured 127 ([InstLat-X2]; 48 for EAX=0).</summary>
    public InstructionCost Cpuid { get; init; } = Microcoded(127);

    /// <summary>RDTSC: measured T 6.5 ([InstLat-248] #555), rounded up; not serialising.</summary>
    public InstructionCost Rdtsc { get; init; } = Microcoded(7, serialising: false);

    /// <summary>
    /// IN, OUT, INS, OUTS: estimate 100, not in the references (an uncached access that leaves the core);
    /// under Linux a process only ever meets their #GP.
    /// </summary>
    public InstructionCost PortIo { get; init; } = Microcoded(100);

    /// <summary>LIDT: 148 ([AMD-25112] Table 13 p.286).</summary>
    public InstructionCost LoadIdt { get; init; } = Microcoded(148);

    /// <summary>LGDT: 37 ([AMD-25112] Table 13 p.286).</summary>
    public InstructionCost LoadGdt { get; init; } = Microcoded(37);

    /// <summary>LLDT: 34 ([AMD-25112] Table 13 p.286).</summary>
    public InstructionCost LoadLdt { get; init; } = Microcoded(34);

    /// <summary>LTR: not listed; estimate, taken as LLDT (the same kind of descriptor load).</summary>
    public InstructionCost LoadTaskRegister { get; init; } = Microcoded(34);

    /// <summary>SGDT: 17 ([AMD-25112] Table 13 p.297).</summary>
    public InstructionCost StoreGdt { get; init; } = Microcoded(17, serialising: false);

    /// <summary>SIDT: 18 ([AMD-25112] Table 13 p.297).</summary>
    public InstructionCost StoreIdt { get; init; } = Microcoded(18, serialising: false);

    /// <summary>STR, SLDT: estimate, taken as SGDT.</summary>
    public InstructionCost StoreSegmentSelector { get; init; } = Microcoded(17, serialising: false);

    /// <summary>VMCALL: not a K8 instruction; the simulated kernel's host-call marker, whose C# work is charged through the kernel-work meter.</summary>
    public InstructionCost HostCall { get; init; } = Of(1);

    /// <summary>HLT: estimate 10 (halting drains the pipeline; the wait itself is idle time).</summary>
    public InstructionCost Halt { get; init; } = Microcoded(10);

    /// <summary>LFENCE: measured 5 ([InstLat]).</summary>
    public InstructionCost Lfence { get; init; } = Of(5, 5, DecodePath.Vector);

    /// <summary>SFENCE: measured 8 ([InstLat]).</summary>
    public InstructionCost Sfence { get; init; } = Of(8, 8, DecodePath.Vector);

    /// <summary>MFENCE: measured 16 ([InstLat]).</summary>
    public InstructionCost Mfence { get; init; } = Of(16, 16, DecodePath.Vector);

    /// <summary>LDMXCSR, FLDCW: estimate 10 (a control-register write), not serialising.</summary>
    public InstructionCost LoadControlWord { get; init; } = Microcoded(10, serialising: false);

    /// <summary>STMXCSR, FNSTCW, FNSTSW: estimate L 3, T 1.</summary>
    public InstructionCost StoreControlWord { get; init; } = Of(3, 1, DecodePath.Vector);

    /// <summary>FXSAVE/FXRSTOR, FNSAVE/FRSTOR, FNSTENV/FLDENV, FNINIT: estimate 60 (microcoded state save and restore).</summary>
    public InstructionCost FpStateSaveRestore { get; init; } = Microcoded(60, serialising: false);

    /// <summary>NOP, PAUSE, ENDBR, PREFETCH: decoded as NOPs on K8.</summary>
    public InstructionCost Nop { get; init; } = Of(1);
}
