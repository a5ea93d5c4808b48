using KmlSim.Timing.Costs;
using static KmlSim.Timing.Costs.InstructionCost;

namespace KmlSim.Timing.Profiles;

/// <summary>
/// A family 10h (K10) Opteron: the Opteron 2378 (Shanghai, 45 nm, 2.4 GHz: the Opteron 850's clock, so
/// the simulated kernel's 2.4 GHz time base holds), given as the K8 profile with every figure that differs.
/// Sources: [InstLat-K10] InstLatX64 of a Barcelona Opteron 2347 HE (family 10h, 64-bit code; GitHub
/// InstLatx64/InstLatx64 AuthenticAMD0100F21_K10_Barcelona_InstLatX64.txt), [MemLat-2378] MemLatX64 of this
/// Opteron 2378 (AuthenticAMD0100F42_K10_Shanghai_MemLatX64.txt), [CPUID-10h] the CPUID leaves of the same
/// core revision (100F42h, AuthenticAMD0100F42_K10_Deneb_CPUID.txt). Parameters not listed are the K8's:
/// the 3-wide decode, dispatch and retire, the 72-entry reorder buffer, the schedulers, the predictor and the
/// mispredict penalty (family 10h keeps the K8's organisation; not checked against AMD's family 10h guide
/// 40546 here: estimate), and the kernel paths (software, not CPU). The system instructions the sources do
/// not measure (SYSCALL, SYSRET, SWAPGS, IRETQ, MSR and CR accesses, INVLPG) keep the K8's figures and
/// their "estimate" status.
/// <para>
/// CPUID does not belong to a timing profile: what CPUID returns is the ISA the interpreter implements (the
/// reference K8's: SSE2, no SSE3, no ABM), and a guest that saw a family 10h CPUID would pick SSE3, POPCNT
/// and LZCNT code paths the interpreter does not run (LZCNT would execute as BSR, as on a K8). So this profile
/// times the K8 instruction set as a family 10h core would run it; the CPUID class is priced (154 cycles) but
/// the values it returns stay the K8's.
/// </para>
/// Not modelled: the L1 ITLB (32 entries) is given the DTLB's 48 (the model has one L1 TLB size); the
/// page-walk cache of family 10h; the L3 is given to the one simulated core whole.
/// </summary>
public static partial class CpuProfiles
{
    /// <summary>The family 10h Opteron 2378 (Shanghai, 2.4 GHz, 512 KB L2, 6 MB L3).</summary>
    public static CpuProfile Opteron2378 { get; } = new()
    {
        Name = "opteron2378",
        L2 = new(512 * 1024, 16), // [MemLat-2378]: 512 KB, 16-way, exclusive; [CPUID-10h] 8000_0006 ECX=02008140h
        L2Latency = 15, // [MemLat-2378] BlockRandom 512 KB: 13-16, linear stride >= 128 B: 15 (the 9-clk summary is a stride-64 figure)
        L3 = new(6 * 1024 * 1024, 48), // [MemLat-2378]: 6 MB, 48-way, exclusive
        L3Latency = 49, // [MemLat-2378] linear read stride >= 128 B over 1-4 MB: 51-55; BlockRandom 4 MB: 39-55, median 49
        DramLatencyNanoseconds = 99.0, // [MemLat-2378] "Mem latency: 98.962ns (238 clks)"
        L1TlbEntries = 48, // [CPUID-10h] 8000_0005 EBX=FF30FF20h: 48-entry fully associative L1 DTLB for 4 KB pages
        L1TlbLargeEntries = 48, // [CPUID-10h] 8000_0005 EAX=FF30FF10h: 48 DTLB entries for 2 MB pages
        StoreForwardLatency = 8, // [InstLat-K10] #35 MOV r64,[m64] + MOV [m64],r64 round trip 9.0, less 1 for the store's data path (as for the K8)
        Instructions = new()
        {
            BitScanForward32 = Of(4, 3, DecodePath.Vector), // [InstLat-K10] #303-304 BSF L 4, T 3
            BitScanForward64 = Of(4, 3, DecodePath.Vector), // #305
            BitScanReverse = Of(4, 3, DecodePath.Vector), // #306-308
            ZeroCount32 = Of(2, 1, DecodePath.DirectDouble), // #499-500 LZCNT L 2, T 1 (family 10h has ABM)
            ZeroCount64 = Of(2, 1, DecodePath.DirectDouble), // #501
            Divide32 = Divider(47), // #406 DIV r32 full width L 47 (data-dependent: 19 for 1/1)
            Divide64 = Divider(79), // #420 DIV r64 full width L 79
            SignedDivide32 = Divider(54), // #353 IDIV r32 L 54
            SignedDivide64 = Divider(86), // #367 IDIV r64 L 86
            ExchangeMemory = Of(21, 20, DecodePath.Vector), // #62-63 XCHG r,[m] L 21, T 19.6-20.2
            ExchangeAdd = Of(2, 1, DecodePath.DirectDouble), // #483-486 XADD r,r L 2, T 1
            RotateThroughCarry = Of(3, 3, DecodePath.Vector), // #283-302 RCL/RCR r,imm L 3, T 3 (by 1: 1; by CL: 3-4)
            PopFlags = Microcoded(12, serialising: false), // #462 PUSHFQ + POPFQ L 14, less PUSHF's 2
            Rdtsc = Microcoded(66, serialising: false), // #493 RDTSC T 65.5
            Cpuid = Microcoded(154), // #495 CPUID EAX=1: 154.3
            Lfence = Of(1, 1), // #684 LFENCE L 1, T 1
            Mfence = Of(33, 33, DecodePath.Vector), // #685 MFENCE 33.1
            FpMultiply = Of(4, 1, unit: ExecutionUnit.FpMultiply), // #517-518 FMUL L 4, T 1
            FpDivide = Of(24, 21, unit: ExecutionUnit.FpMultiply), // #524 FDIV80 L 24, T 21 (Linux's default extended precision)
            FpSqrt = Of(35, 32, unit: ExecutionUnit.FpMultiply), // #530 FSQRT80 L 35, T 32
            DivideScalar = Of(20, 17, unit: ExecutionUnit.FpMultiply), // #838 DIVSD L 20, T 17
            DividePacked = Of(20, 17, unit: ExecutionUnit.FpMultiply), // #842 DIVPD L 20, T 17: 128 bits in one pass
            SqrtPacked = Of(27, 24, unit: ExecutionUnit.FpMultiply), // #849 SQRTPD L 27, T 24
            MultiplyPacked = Of(4, 1, unit: ExecutionUnit.FpMultiply), // #821 MULPD L 4, T 1
            AddPacked = Of(4, 1, unit: ExecutionUnit.FpAdd), // #817, #819 ADDPD/SUBPD L 4, T 1
            MinMaxPacked = Of(2, 1, unit: ExecutionUnit.FpAdd), // #827 MAXPD L 2, T 1
            VectorIntegerMultiply = Of(3, 1, unit: ExecutionUnit.FpMultiply), // #957-965 PMULLW/PMULUDQ xmm L 3, T 1
            Shuffle = Of(3, 1, unit: ExecutionUnit.FpAdd), // #1042 PSHUFD L 3, T 0.5
            SumOfAbsoluteDifferences = Of(3, 1, unit: ExecutionUnit.FpAdd), // #1038 PSADBW xmm L 3, T 1
            MoveGeneralToVector = Of(6, 3, unit: ExecutionUnit.FpStore), // #885-888 MOVD round trip L 11.5, MOVD xmm,r T 2.83
            VectorMovePacked = Of(2, 1, unit: ExecutionUnit.FpStore), // #895 MOVDQA xmm L 2.5, T 0.33; loads T 0.5
            VectorSimplePacked = Of(2, 1, unit: ExecutionUnit.FpAdd), // #909-956 PADD/PAND/PCMPEQ xmm L 2, T 0.5
        },
    };

    private static InstructionCost Divider(int latency) => Of(latency, latency, DecodePath.Vector, ExecutionUnit.Divide);
}
