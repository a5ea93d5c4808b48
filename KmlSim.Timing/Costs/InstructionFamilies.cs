using Iced.Intel;

namespace KmlSim.Timing.Costs;

/// <summary>
/// Classifies an instruction form into a K8 timing class. Numbers: reference/k8-opteron850.md §3 (ordinary
/// instructions: [AMD-25112] Table 13 and the InstLat measurements) and §4 (system instructions); the ones
/// the reference marks "estimate" say so here.
/// </summary>
internal static class InstructionFamilies
{
    public static InstructionCost Classify(Code code)
    {
        if (code == Code.INVALID)
        {
            return Unclassified;
        }

        Mnemonic m = code.Mnemonic();
        string name = code.ToString();
        bool wide = name.Contains("64", StringComparison.Ordinal) && !name.Contains("xmm", StringComparison.Ordinal);
        InstructionCost c = System(m, code) ?? Integer(m, code, wide) ?? Branches(m, code) ?? Strings(m) ?? Sse(m, name) ?? X87(m) ?? Unclassified;
        if (c.Known && c.MacroOps == 0)
        {
            c.MacroOps = c.Path == DecodePath.DirectDouble ? (byte)2 : (byte)1;
        }

        return c;
    }

    /// <summary>A form the interpreter does not execute: a plain 1-cycle op, marked unknown.</summary>
    private static InstructionCost Unclassified => new() { Latency = 1, Occupancy = 1, MacroOps = 1 };

    private static InstructionCost Make(int latency, int occupancy = 1, DecodePath path = DecodePath.Direct, ExecutionUnit unit = ExecutionUnit.Alu, bool serialising = false, BranchKind branch = BranchKind.None, int macroOps = 0) => new()
    {
        Latency = (ushort)latency,
        Occupancy = (ushort)Math.Max(occupancy, 1),
        Path = path,
        Unit = unit,
        Serialising = serialising,
        Branch = branch,
        MacroOps = (byte)macroOps,
        Known = true,
    };

    private static InstructionCost Micro(int latency, bool serialising = true, BranchKind branch = BranchKind.None) =>
        Make(latency, latency, DecodePath.Vector, ExecutionUnit.Microcode, serialising, branch, macroOps: 3);

    /// <summary>Reference §4: system and privileged instructions (all VectorPath, most serialising).</summary>
    private static InstructionCost? System(Mnemonic m, Code code) => m switch
    {
        Mnemonic.Syscall => Micro(27, branch: BranchKind.Far), // [AMD-25112] Table 13 p.300
        Mnemonic.Sysret or Mnemonic.Sysretq => Micro(35, branch: BranchKind.Far), // same page
        Mnemonic.Swapgs => Micro(10), // estimate 8-12 (reference §4)
        Mnemonic.Iret or Mnemonic.Iretd or Mnemonic.Iretq => Micro(70, branch: BranchKind.Far), // estimate 60-80 (reference §4)
        Mnemonic.Int or Mnemonic.Int3 or Mnemonic.Into or Mnemonic.Int1 => Micro(70, branch: BranchKind.Far), // estimate: an IDT delivery, taken like IRETQ
        Mnemonic.Rdmsr => Micro(60), // estimate 50-70
        Mnemonic.Wrmsr => Micro(80), // estimate 60-100
        Mnemonic.Mov when code == Code.Mov_cr_r64 => Micro(100), // MOV CR: estimate 100+ (reference §4)
        Mnemonic.Mov when code == Code.Mov_r64_cr => Micro(10), // estimate (not in the reference; reading a CR is a simple microcode move)
        Mnemonic.Invlpg => Micro(75), // estimate 50-100
        Mnemonic.Cli or Mnemonic.Sti => Micro(4, serialising: false), // estimate 4
        Mnemonic.Pushfq or Mnemonic.Pushf or Mnemonic.Pushfd => Make(2, 2, DecodePath.Vector), // measured T 2 [InstLat-248] #502
        Mnemonic.Popfq or Mnemonic.Popf or Mnemonic.Popfd => Micro(10, serialising: false), // measured T 10 [InstLat-248] #503
        Mnemonic.Cpuid => Micro(127), // EAX=1 measured 127 [InstLat-X2] (48 for EAX=0)
        Mnemonic.Rdtsc => Micro(7, serialising: false), // measured T 6.5 [InstLat-248] #555, rounded up
        Mnemonic.Lidt => Micro(148), // [AMD-25112] p.286
        Mnemonic.Lgdt => Micro(37),
        Mnemonic.Lldt => Micro(34),
        Mnemonic.Ltr => Micro(34), // estimate: not listed, taken as LLDT (same kind of descriptor load)
        Mnemonic.Sgdt => Micro(17, serialising: false), // [AMD-25112] p.297
        Mnemonic.Sidt => Micro(18, serialising: false),
        Mnemonic.Str or Mnemonic.Sldt => Micro(17, serialising: false), // estimate: taken as SGDT
        Mnemonic.Vmcall => Make(1), // not a K8 instruction: the simulated kernel's host-call marker, whose C# work is charged through the kernel-work meter
        Mnemonic.Hlt => Micro(10), // estimate: halting drains the pipeline; the wait itself is idle time
        Mnemonic.Lfence => Make(5, 5, DecodePath.Vector), // measured 5 [InstLat]
        Mnemonic.Sfence => Make(8, 8, DecodePath.Vector), // measured 8
        Mnemonic.Mfence => Make(16, 16, DecodePath.Vector), // measured 16
        Mnemonic.Ldmxcsr or Mnemonic.Fldcw => Micro(10, serialising: false), // estimate: control-register write, not in the reference
        Mnemonic.Stmxcsr or Mnemonic.Fnstcw or Mnemonic.Fstcw or Mnemonic.Fnstsw or Mnemonic.Fstsw => Make(3, 1, DecodePath.Vector), // estimate
        Mnemonic.Fxsave or Mnemonic.Fxsave64 or Mnemonic.Fxrstor or Mnemonic.Fxrstor64 or Mnemonic.Fnsave or Mnemonic.Fsave or Mnemonic.Frstor
            or Mnemonic.Fnstenv or Mnemonic.Fstenv or Mnemonic.Fldenv or Mnemonic.Finit or Mnemonic.Fninit => Micro(60, serialising: false), // estimate: microcoded state save/restore
        Mnemonic.Rdsspd or Mnemonic.Rdsspq or Mnemonic.Endbr32 or Mnemonic.Endbr64 or Mnemonic.Nop or Mnemonic.Reservednop or Mnemonic.Pause
            or Mnemonic.Prefetch or Mnemonic.Prefetchw or Mnemonic.Prefetchnta or Mnemonic.Prefetcht0 or Mnemonic.Prefetcht1 or Mnemonic.Prefetcht2 => Make(1), // decode as NOPs on K8
        _ => null,
    };

    /// <summary>Reference §3: integer instructions.</summary>
    private static InstructionCost? Integer(Mnemonic m, Code code, bool wide)
    {
        bool oneOperandForm = code.ToString().Split('_').Length == 2; // MUL/IMUL/DIV r/m: RDX:RAX forms
        switch (m)
        {
            case Mnemonic.Imul when !oneOperandForm:
                return wide ? Make(4, 2, unit: ExecutionUnit.Multiply) : Make(3, 1, unit: ExecutionUnit.Multiply); // r64 L4 T2 [InstLat-X2]; r32 L3 T1 [InstLat-248]
            case Mnemonic.Imul or Mnemonic.Mul when wide:
                InstructionCost rdxRax = Make(5, 4, DecodePath.DirectDouble, ExecutionUnit.Multiply); // r64: RAX L4, RDX L5, T4 [InstLat-X2]
                rdxRax.RaxEarly = 1;
                return rdxRax;
            case Mnemonic.Imul or Mnemonic.Mul:
                return Make(3, 3, DecodePath.DirectDouble, ExecutionUnit.Multiply); // r32 (EAX and EDX) L3 T3 [InstLat-248]
            case Mnemonic.Lea:
                InstructionCost lea = Make(1); // L1 for base + index or base + displacement; L2 with a scale or 3 operands ([AMD-25112] Table 13 note 4; [InstLat-X2])
                lea.ComplexAddressLatency = 1;
                return lea;
            case Mnemonic.Div:
                return wide ? Divide(71) : Divide(39); // r64 L71-72 [InstLat-X2]; r32 39-40 (also used for 8/16-bit: estimate)
            case Mnemonic.Idiv:
                return wide ? Divide(72) : Divide(40); // r64 L72-73; r32 40-41
            case Mnemonic.Bsf:
                return Make(wide ? 9 : 8, wide ? 9 : 8, DecodePath.Vector); // [AMD-25112] p.275; measured
            case Mnemonic.Bsr:
                return Make(11, 10, DecodePath.Vector); // [AMD-25112] p.275
            case Mnemonic.Lzcnt or Mnemonic.Tzcnt:
                return Make(wide ? 9 : 8, wide ? 9 : 8, DecodePath.Vector); // estimate: K8 lacks them; taken as BSF
            case Mnemonic.Shld or Mnemonic.Shrd:
                return Make(3, 2, DecodePath.Vector); // measured L3 T2 [InstLat-248]
            case Mnemonic.Bts or Mnemonic.Btr or Mnemonic.Btc:
                return Make(2, 1, DecodePath.DirectDouble); // measured L2 T0.67
            case Mnemonic.Adc or Mnemonic.Sbb:
                return Make(1, 1); // L1 T1 [InstLat-X2]
            case Mnemonic.Rcl or Mnemonic.Rcr:
                return Make(5, 5, DecodePath.Vector); // estimate: not in the reference; microcoded rotates through carry
            case Mnemonic.Xchg when code.ToString().Contains("rm", StringComparison.Ordinal):
                return Make(16, 16, DecodePath.Vector); // XCHG r,[m] L16 T16 (a register pair takes the same path: estimate)
            case Mnemonic.Xchg:
                return Make(2, 1, DecodePath.DirectDouble); // estimate (register exchange: two moves)
            case Mnemonic.Cmpxchg:
                return Make(3, 2, DecodePath.Vector); // measured L3 T2
            case Mnemonic.Xadd:
                return Make(3, 2, DecodePath.Vector); // estimate: taken as CMPXCHG
            case Mnemonic.Leave:
                return Make(3, 1, DecodePath.DirectDouble); // [AMD-25112] p.286 DirectPath double L3
            case Mnemonic.Enter:
                return Make(12, 12, DecodePath.Vector); // estimate (microcoded frame setup)
            case Mnemonic.Lahf or Mnemonic.Sahf:
                return Make(2, 1, DecodePath.Vector); // [InstLat-X2] L2
            case Mnemonic.Cld:
                return Make(1, 1);
            case Mnemonic.Std:
                return Make(2, 2, DecodePath.Vector); // measured 2
            case Mnemonic.Push or Mnemonic.Pop:
                return Make(1, 1); // T1 each [InstLat-X2] #486
            case Mnemonic.Cdq or Mnemonic.Cqo or Mnemonic.Cwd or Mnemonic.Cbw or Mnemonic.Cwde or Mnemonic.Cdqe:
            case Mnemonic.Add or Mnemonic.Sub or Mnemonic.And or Mnemonic.Or or Mnemonic.Xor or Mnemonic.Cmp or Mnemonic.Test
                or Mnemonic.Neg or Mnemonic.Not or Mnemonic.Inc or Mnemonic.Dec or Mnemonic.Mov or Mnemonic.Movzx or Mnemonic.Movsx
                or Mnemonic.Movsxd or Mnemonic.Bswap or Mnemonic.Bt or Mnemonic.Clc or Mnemonic.Stc or Mnemonic.Cmc
                or Mnemonic.Shl or Mnemonic.Sal or Mnemonic.Shr or Mnemonic.Sar or Mnemonic.Rol or Mnemonic.Ror or Mnemonic.Movnti:
                return Make(1); // DirectPath L1 T0.33 [AMD-25112] p.273-297; Meas-248/X2
            default:
                if (m.ToString().StartsWith("Cmov", StringComparison.Ordinal) || m.ToString().StartsWith("Set", StringComparison.Ordinal))
                {
                    return Make(1); // CMOVcc/SETcc L1 [AMD-25112] p.279, p.297
                }

                return null;
        }
    }

    /// <summary>
    /// Any LOCK-prefixed read-modify-write: LOCK ADD [m],r measured L 19, T 18 (reference §3); the other locked
    /// operations (CMPXCHG, XADD, INC, OR, ...) are taken as LOCK ADD (estimate: the lock, not the operation, dominates).
    /// </summary>
    public static InstructionCost Locked => Make(19, 18, DecodePath.Vector, ExecutionUnit.Locked, macroOps: 3);

    private static InstructionCost Divide(int latency) => Make(latency, latency, DecodePath.Vector, ExecutionUnit.Divide);

    /// <summary>Near branches (reference §1: 1-cycle taken bubble, mispredicts >= 10; CALL/RET estimates).</summary>
    private static InstructionCost? Branches(Mnemonic m, Code code)
    {
        string name = code.ToString();
        bool indirect = name.Contains("rm", StringComparison.Ordinal);
        return m switch
        {
            Mnemonic.Jmp when name.Contains("ptr", StringComparison.Ordinal) || name.Contains("m16", StringComparison.Ordinal) => Micro(70, branch: BranchKind.Far), // far JMP: estimate as IRETQ
            Mnemonic.Jmp => Make(1, unit: ExecutionUnit.Branch, branch: indirect ? BranchKind.IndirectJump : BranchKind.Jump),
            Mnemonic.Call => Make(1, unit: ExecutionUnit.Branch, branch: indirect ? BranchKind.IndirectCall : BranchKind.Call, path: DecodePath.DirectDouble), // estimate: store + jump
            Mnemonic.Ret => Make(1, unit: ExecutionUnit.Branch, branch: BranchKind.Return, path: DecodePath.DirectDouble), // estimate: load + jump
            Mnemonic.Loop or Mnemonic.Loope or Mnemonic.Loopne => Make(9, 8, DecodePath.Vector, ExecutionUnit.Branch, branch: BranchKind.Conditional), // [AMD-25112] p.286
            Mnemonic.Jrcxz or Mnemonic.Jecxz => Make(1, unit: ExecutionUnit.Branch, branch: BranchKind.Conditional, path: DecodePath.DirectDouble), // estimate
            _ when code.IsJccShortOrNear() => Make(1, unit: ExecutionUnit.Branch, branch: BranchKind.Conditional),
            _ => null,
        };
    }

    /// <summary>String instructions: VectorPath, REP forms 15 + c (MOVS) / 14 + c (STOS) ([AMD-25112] §8.3 Table 6).</summary>
    private static InstructionCost? Strings(Mnemonic m)
    {
        InstructionCost c;
        switch (m)
        {
            case Mnemonic.Movsb or Mnemonic.Movsw or Mnemonic.Movsd or Mnemonic.Movsq:
                c = Make(15, 15, DecodePath.Vector, macroOps: 3);
                break;
            case Mnemonic.Stosb or Mnemonic.Stosw or Mnemonic.Stosd or Mnemonic.Stosq:
                c = Make(14, 14, DecodePath.Vector, macroOps: 3);
                break;
            case Mnemonic.Lodsb or Mnemonic.Lodsw or Mnemonic.Lodsd or Mnemonic.Lodsq
                or Mnemonic.Cmpsb or Mnemonic.Cmpsw or Mnemonic.Cmpsd or Mnemonic.Cmpsq
                or Mnemonic.Scasb or Mnemonic.Scasw or Mnemonic.Scasd or Mnemonic.Scasq:
                c = Make(15, 15, DecodePath.Vector, macroOps: 3); // estimate: taken as MOVS (LODS alone is L4-5)
                break;
            default:
                return null;
        }

        c.PerElement = 1; // 1 cycle per element (Table 6, rev 3.06)
        return c;
    }

    /// <summary>SSE/SSE2 (reference §3 SSE2 integer and scalar double rows; 128-bit ops are 2 macro-ops).</summary>
    private static InstructionCost? Sse(Mnemonic m, string name)
    {
        bool packed = name.Contains("128", StringComparison.Ordinal);
        string s = m.ToString();
        DecodePath path = packed ? DecodePath.DirectDouble : DecodePath.Direct;
        int pairs = packed ? 2 : 1;
        return s switch
        {
            "Sqrtsd" or "Sqrtss" => Make(27, 24, unit: ExecutionUnit.FpMultiply), // L27 T24 [InstLat]
            "Sqrtpd" or "Sqrtps" => Make(48, 48, DecodePath.DirectDouble, ExecutionUnit.FpMultiply), // L48
            "Divsd" or "Divss" => Make(20, 17, unit: ExecutionUnit.FpMultiply), // L20 T17
            "Divpd" or "Divps" => Make(34, 34, DecodePath.DirectDouble, ExecutionUnit.FpMultiply), // L34 T34
            "Mulsd" or "Mulss" or "Mulpd" or "Mulps" => Make(4, pairs, path, ExecutionUnit.FpMultiply), // L4 T1 / T2
            "Addsd" or "Subsd" or "Addss" or "Subss" or "Addpd" or "Subpd" or "Addps" or "Subps"
                or "Cmpsd" or "Cmpss" or "Cmppd" or "Cmpps" => Make(4, pairs, path, ExecutionUnit.FpAdd), // L4 T1 / T2
            "Minsd" or "Maxsd" or "Minss" or "Maxss" or "Minpd" or "Maxpd" or "Minps" or "Maxps" => Make(2, pairs, path, ExecutionUnit.FpAdd), // L2 T1
            "Comisd" or "Ucomisd" or "Comiss" or "Ucomiss" => Make(3, 1, unit: ExecutionUnit.FpAdd), // T1; latency to flags estimate 3
            "Pmullw" or "Pmulhw" or "Pmulhuw" or "Pmuludq" or "Pmaddwd" => Make(3, 2, DecodePath.DirectDouble, ExecutionUnit.FpMultiply), // L3 T2
            "Psadbw" => Make(4, 2, DecodePath.DirectDouble, ExecutionUnit.FpAdd), // estimate
            "Pshufd" or "Pshuflw" or "Pshufhw" or "Shufps" or "Shufpd" => Make(3, 2, DecodePath.DirectDouble, ExecutionUnit.FpAdd), // L3 T1.42
            "Pmovmskb" or "Movmskps" or "Movmskpd" or "Pextrw" => Make(7, 1, DecodePath.DirectDouble, ExecutionUnit.FpStore), // cross-domain: half of the 14-cycle MOVD round trip (derived estimate)
            "Movd" or "Movq" when name.Contains("rm", StringComparison.Ordinal) => Make(7, 3, unit: ExecutionUnit.FpStore), // MOVD xmm<->r T2.5, round trip L14 [InstLat-X2]
            "Pinsrw" => Make(7, 3, DecodePath.DirectDouble, ExecutionUnit.FpStore), // estimate: as MOVD
            _ when s.StartsWith("Cvt", StringComparison.Ordinal) => Make(5, 3, path, ExecutionUnit.FpStore), // CVTSI2SD T2.75-3; PTLsim cvt 4-9: estimate 5
            _ when s.StartsWith("Mov", StringComparison.Ordinal) && name.Contains("xmm", StringComparison.Ordinal) => Make(2, pairs, path, ExecutionUnit.FpStore), // MOVDQA L2 T1; load/store T2 [InstLat]
            _ when (s.StartsWith('P') || s.StartsWith("Unpck", StringComparison.Ordinal) || s.StartsWith("And", StringComparison.Ordinal)
                || s.StartsWith("Or", StringComparison.Ordinal) || s.StartsWith("Xor", StringComparison.Ordinal)) && name.Contains("xmm", StringComparison.Ordinal)
                => Make(2, pairs, path, ExecutionUnit.FpAdd), // PADD/PAND/PCMPEQ/shifts/unpack L2 T1 [InstLat]
            _ => null,
        };
    }

    /// <summary>x87 subset (PTLsim K8 model numbers, reference §1: FP add 4, mul 5, div 16, sqrt 19; loads/stores estimates).</summary>
    private static InstructionCost? X87(Mnemonic m)
    {
        string s = m.ToString();
        if (!s.StartsWith('F') && m != Mnemonic.Wait)
        {
            return null;
        }

        return s switch
        {
            "Fadd" or "Faddp" or "Fsub" or "Fsubp" or "Fsubr" or "Fsubrp" or "Fiadd" or "Fisub" or "Fisubr" => Make(4, 1, unit: ExecutionUnit.FpAdd),
            "Fmul" or "Fmulp" or "Fimul" => Make(5, 1, unit: ExecutionUnit.FpMultiply),
            "Fdiv" or "Fdivp" or "Fdivr" or "Fdivrp" or "Fidiv" or "Fidivr" => Make(16, 16, unit: ExecutionUnit.FpMultiply),
            "Fsqrt" => Make(19, 19, unit: ExecutionUnit.FpMultiply),
            "Fsin" or "Fcos" or "Fsincos" or "Fptan" or "Fpatan" or "F2xm1" or "Fyl2x" or "Fyl2xp1" or "Fprem" or "Fprem1"
                or "Fscale" or "Fxtract" or "Frndint" => Micro(100, serialising: false), // estimate: microcoded transcendental/remainder sequences
            _ => Make(2, 1, unit: ExecutionUnit.FpStore), // loads, stores, moves, compares, constants: estimate L2
        };
    }
}
