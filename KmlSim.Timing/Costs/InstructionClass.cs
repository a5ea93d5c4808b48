namespace KmlSim.Timing.Costs;

/// <summary>
/// The timing classes of the model: every Iced <see cref="Iced.Intel.Code"/> belongs to one
/// (<see cref="InstructionClassifier"/>), and a CPU profile gives each class its cost
/// (<see cref="Profiles.InstructionCosts"/>). A class groups the forms a profile prices alike.
/// </summary>
public enum InstructionClass : byte
{
    /// <summary>A form the interpreter does not execute: no cost entry.</summary>
    Unclassified,

    /// <summary>SYSCALL.</summary>
    Syscall,
    /// <summary>SYSRET.</summary>
    Sysret,
    /// <summary>SWAPGS.</summary>
    Swapgs,
    /// <summary>IRET/IRETD/IRETQ.</summary>
    Iret,
    /// <summary>INT n, INT3, INTO, INT1: an IDT delivery by instruction.</summary>
    SoftwareInterrupt,
    /// <summary>RDMSR.</summary>
    Rdmsr,
    /// <summary>WRMSR.</summary>
    Wrmsr,
    /// <summary>MOV CRn, r (CR3 writes: the TLB flush is modelled apart).</summary>
    MoveToControlRegister,
    /// <summary>MOV r, CRn.</summary>
    MoveFromControlRegister,
    /// <summary>INVLPG.</summary>
    Invlpg,
    /// <summary>CLI, STI.</summary>
    InterruptFlag,
    /// <summary>PUSHF/PUSHFQ.</summary>
    PushFlags,
    /// <summary>POPF/POPFQ.</summary>
    PopFlags,
    /// <summary>CPUID.</summary>
    Cpuid,
    /// <summary>RDTSC.</summary>
    Rdtsc,
    /// <summary>IN, OUT, INS, OUTS.</summary>
    PortIo,
    /// <summary>LIDT.</summary>
    LoadIdt,
    /// <summary>LGDT.</summary>
    LoadGdt,
    /// <summary>LLDT.</summary>
    LoadLdt,
    /// <summary>LTR.</summary>
    LoadTaskRegister,
    /// <summary>SGDT.</summary>
    StoreGdt,
    /// <summary>SIDT.</summary>
    StoreIdt,
    /// <summary>STR, SLDT.</summary>
    StoreSegmentSelector,
    /// <summary>VMCALL: not a K8 instruction; the simulated kernel's host-call marker.</summary>
    HostCall,
    /// <summary>HLT.</summary>
    Halt,
    /// <summary>LFENCE.</summary>
    Lfence,
    /// <summary>SFENCE.</summary>
    Sfence,
    /// <summary>MFENCE.</summary>
    Mfence,
    /// <summary>LDMXCSR, FLDCW: FP control-register writes.</summary>
    LoadControlWord,
    /// <summary>STMXCSR, FNSTCW/FSTCW, FNSTSW/FSTSW.</summary>
    StoreControlWord,
    /// <summary>FXSAVE/FXRSTOR, FNSAVE/FRSTOR, FNSTENV/FLDENV, FNINIT.</summary>
    FpStateSaveRestore,
    /// <summary>NOP, PAUSE, ENDBR, PREFETCH: decode and retire, no work.</summary>
    Nop,

    /// <summary>ADD/SUB/AND/OR/XOR/CMP/TEST/NEG/NOT/INC/DEC, MOV/MOVZX/MOVSX, shifts and rotates, BT, BSWAP, CBW..CQO, CLC/STC/CMC, MOVNTI.</summary>
    SimpleAlu,
    /// <summary>CMOVcc.</summary>
    ConditionalMove,
    /// <summary>SETcc.</summary>
    SetCondition,
    /// <summary>ADC, SBB.</summary>
    AddWithCarry,
    /// <summary>IMUL r, r/m (and the immediate form) on 8/16/32-bit operands.</summary>
    Multiply32,
    /// <summary>IMUL r64, r/m64 (and the immediate form).</summary>
    Multiply64,
    /// <summary>MUL/IMUL r/m with an EDX:EAX result (8/16/32-bit).</summary>
    MultiplyWide32,
    /// <summary>MUL/IMUL r/m64 with an RDX:RAX result.</summary>
    MultiplyWide64,
    /// <summary>LEA.</summary>
    Lea,
    /// <summary>DIV r/m8/16/32.</summary>
    Divide32,
    /// <summary>DIV r/m64.</summary>
    Divide64,
    /// <summary>IDIV r/m8/16/32.</summary>
    SignedDivide32,
    /// <summary>IDIV r/m64.</summary>
    SignedDivide64,
    /// <summary>BSF r16/32.</summary>
    BitScanForward32,
    /// <summary>BSF r64.</summary>
    BitScanForward64,
    /// <summary>BSR.</summary>
    BitScanReverse,
    /// <summary>LZCNT/TZCNT r16/32 (no ABM/BMI on K8: they execute as BSR/BSF there).</summary>
    ZeroCount32,
    /// <summary>LZCNT/TZCNT r64.</summary>
    ZeroCount64,
    /// <summary>SHLD, SHRD.</summary>
    DoubleShift,
    /// <summary>BTS, BTR, BTC.</summary>
    BitTestModify,
    /// <summary>RCL, RCR.</summary>
    RotateThroughCarry,
    /// <summary>XCHG r/m, r (the ModRM form; with memory implicitly locked).</summary>
    ExchangeMemory,
    /// <summary>XCHG r, rAX.</summary>
    ExchangeRegister,
    /// <summary>CMPXCHG without LOCK.</summary>
    CompareExchange,
    /// <summary>XADD without LOCK.</summary>
    ExchangeAdd,
    /// <summary>LEAVE.</summary>
    Leave,
    /// <summary>ENTER.</summary>
    Enter,
    /// <summary>LAHF, SAHF.</summary>
    FlagsToAh,
    /// <summary>CLD.</summary>
    ClearDirection,
    /// <summary>STD.</summary>
    SetDirection,
    /// <summary>PUSH, POP (register, memory, immediate).</summary>
    PushPop,

    /// <summary>Direct near JMP.</summary>
    Jump,
    /// <summary>Indirect near JMP.</summary>
    IndirectJump,
    /// <summary>Far JMP or CALL: never predicted.</summary>
    FarTransfer,
    /// <summary>Direct near CALL.</summary>
    Call,
    /// <summary>Indirect near CALL.</summary>
    IndirectCall,
    /// <summary>Near RET.</summary>
    Return,
    /// <summary>Jcc.</summary>
    ConditionalJump,
    /// <summary>LOOP, LOOPE, LOOPNE.</summary>
    Loop,
    /// <summary>JRCXZ, JECXZ.</summary>
    JumpIfCountZero,

    /// <summary>MOVS (per element beyond the first: the class's <see cref="InstructionCost.PerElement"/>).</summary>
    MoveString,
    /// <summary>STOS.</summary>
    StoreString,
    /// <summary>LODS, CMPS, SCAS.</summary>
    OtherString,

    /// <summary>SQRTSD, SQRTSS.</summary>
    SqrtScalar,
    /// <summary>SQRTPD, SQRTPS.</summary>
    SqrtPacked,
    /// <summary>DIVSD, DIVSS.</summary>
    DivideScalar,
    /// <summary>DIVPD, DIVPS.</summary>
    DividePacked,
    /// <summary>MULSD, MULSS.</summary>
    MultiplyScalar,
    /// <summary>MULPD, MULPS.</summary>
    MultiplyPacked,
    /// <summary>ADD/SUB/CMP on scalar SSE operands.</summary>
    AddScalar,
    /// <summary>ADD/SUB/CMP on packed SSE operands.</summary>
    AddPacked,
    /// <summary>MINSD/MAXSD, MINSS/MAXSS.</summary>
    MinMaxScalar,
    /// <summary>MINPD/MAXPD, MINPS/MAXPS.</summary>
    MinMaxPacked,
    /// <summary>COMISD/UCOMISD, COMISS/UCOMISS.</summary>
    CompareToFlags,
    /// <summary>PMULLW, PMULHW, PMULHUW, PMULUDQ, PMADDWD.</summary>
    VectorIntegerMultiply,
    /// <summary>PSADBW.</summary>
    SumOfAbsoluteDifferences,
    /// <summary>PSHUFD/PSHUFLW/PSHUFHW, SHUFPS/SHUFPD.</summary>
    Shuffle,
    /// <summary>PMOVMSKB, MOVMSKPS/PD, PEXTRW: XMM to a general register.</summary>
    MoveMask,
    /// <summary>MOVD/MOVQ between a general register (or memory through r/m) and an XMM/MMX register.</summary>
    MoveGeneralToVector,
    /// <summary>PINSRW.</summary>
    InsertWord,
    /// <summary>CVT* on one 64-bit half (scalar, or 64-bit packed source).</summary>
    ConvertScalar,
    /// <summary>CVT* on a 128-bit operand.</summary>
    ConvertPacked,
    /// <summary>SSE moves (MOVAPS, MOVDQA, MOVSS, MOVQ xmm, ...) of one 64-bit half.</summary>
    VectorMoveScalar,
    /// <summary>SSE moves of a 128-bit operand.</summary>
    VectorMovePacked,
    /// <summary>SSE/SSE2 integer and logical operations (PADD, PAND, PCMPEQ, shifts, unpacks, ANDPS...) on one 64-bit half.</summary>
    VectorSimpleScalar,
    /// <summary>The same on a 128-bit operand.</summary>
    VectorSimplePacked,

    /// <summary>x87 FADD/FSUB/FSUBR (and FIADD/FISUB/FISUBR).</summary>
    FpAdd,
    /// <summary>x87 FMUL, FIMUL.</summary>
    FpMultiply,
    /// <summary>x87 FDIV/FDIVR, FIDIV/FIDIVR.</summary>
    FpDivide,
    /// <summary>x87 FSQRT.</summary>
    FpSqrt,
    /// <summary>x87 microcoded sequences: FSIN, FCOS, FPTAN, FPATAN, F2XM1, FYL2X, FPREM, FSCALE, FXTRACT, FRNDINT.</summary>
    FpMicrocoded,
    /// <summary>Other x87 instructions: loads, stores, exchanges, compares, constants, FWAIT.</summary>
    FpOther,
}
