using Iced.Intel;
using static KmlSim.Timing.Costs.InstructionClass;

namespace KmlSim.Timing.Costs;

/// <summary>
/// Puts every Iced <see cref="Code"/> into its <see cref="InstructionClass"/> from Iced's metadata: the
/// mnemonic, the operand kinds, size and memory size of its <see cref="OpCodeInfo"/>, its flow-control
/// kind and branch predicates, its condition code and its CPUID features. Instruction names are never
/// parsed, so a form Iced adds lands in the class its metadata says.
/// </summary>
public static class InstructionClassifier
{
    private static readonly InstructionClass[] Classes = BuildAll();

    /// <summary>The class of <paramref name="code"/>.</summary>
    public static InstructionClass Of(Code code) => Classes[(int)code];

    private static InstructionClass[] BuildAll()
    {
        var classes = new InstructionClass[(int)Enum.GetValues<Code>().Max() + 1];
        for (int i = 0; i < classes.Length; i++)
        {
            classes[i] = Classify((Code)i);
        }

        return classes;
    }

    private static InstructionClass Classify(Code code)
    {
        if (code == Code.INVALID)
        {
            return Unclassified;
        }

        OpCodeInfo op = code.ToOpCode();
        Mnemonic m = code.Mnemonic();
        return System(m, op) ?? Integer(m, code, op) ?? Branch(m, code) ?? StringOperation(code, m) ?? Amd3DNow(m, op) ?? Vector(m, op) ?? Mmx(m, op) ?? X87(m, code) ?? Unclassified;
    }

    private static InstructionClass? System(Mnemonic m, OpCodeInfo op) => m switch
    {
        Mnemonic.Syscall => Syscall,
        Mnemonic.Sysret or Mnemonic.Sysretq => Sysret,
        Mnemonic.Swapgs => Swapgs,
        Mnemonic.Iret or Mnemonic.Iretd or Mnemonic.Iretq => Iret,
        Mnemonic.Int or Mnemonic.Int3 or Mnemonic.Into or Mnemonic.Int1 => SoftwareInterrupt,
        Mnemonic.Rdmsr => Rdmsr,
        Mnemonic.Wrmsr => Wrmsr,
        Mnemonic.Mov when op.Op0Kind == OpCodeOperandKind.cr_reg => MoveToControlRegister,
        Mnemonic.Mov when op.Op1Kind == OpCodeOperandKind.cr_reg => MoveFromControlRegister,
        Mnemonic.Invlpg => Invlpg,
        Mnemonic.Cli or Mnemonic.Sti => InterruptFlag,
        Mnemonic.Pushfq or Mnemonic.Pushf or Mnemonic.Pushfd => PushFlags,
        Mnemonic.Popfq or Mnemonic.Popf or Mnemonic.Popfd => PopFlags,
        Mnemonic.Cpuid => Cpuid,
        Mnemonic.Rdtsc => Rdtsc,
        Mnemonic.Lidt => LoadIdt,
        Mnemonic.Lgdt => LoadGdt,
        Mnemonic.Lldt => LoadLdt,
        Mnemonic.Ltr => LoadTaskRegister,
        Mnemonic.Sgdt => StoreGdt,
        Mnemonic.Sidt => StoreIdt,
        Mnemonic.Str or Mnemonic.Sldt => StoreSegmentSelector,
        Mnemonic.Vmcall => HostCall,
        Mnemonic.Hlt => Halt,
        Mnemonic.In or Mnemonic.Out or Mnemonic.Insb or Mnemonic.Insw or Mnemonic.Insd or Mnemonic.Outsb or Mnemonic.Outsw or Mnemonic.Outsd => PortIo,
        Mnemonic.Lfence => Lfence,
        Mnemonic.Sfence => Sfence,
        Mnemonic.Mfence => Mfence,
        Mnemonic.Ldmxcsr or Mnemonic.Fldcw => LoadControlWord,
        Mnemonic.Stmxcsr or Mnemonic.Fnstcw or Mnemonic.Fstcw or Mnemonic.Fnstsw or Mnemonic.Fstsw => StoreControlWord,
        Mnemonic.Fxsave or Mnemonic.Fxsave64 or Mnemonic.Fxrstor or Mnemonic.Fxrstor64 or Mnemonic.Fnsave or Mnemonic.Fsave or Mnemonic.Frstor
            or Mnemonic.Fnstenv or Mnemonic.Fstenv or Mnemonic.Fldenv or Mnemonic.Finit or Mnemonic.Fninit => FpStateSaveRestore,
        Mnemonic.Rdsspd or Mnemonic.Rdsspq or Mnemonic.Endbr32 or Mnemonic.Endbr64 or Mnemonic.Nop or Mnemonic.Reservednop or Mnemonic.Pause
            or Mnemonic.Prefetch or Mnemonic.Prefetchw or Mnemonic.Prefetchnta or Mnemonic.Prefetcht0 or Mnemonic.Prefetcht1 or Mnemonic.Prefetcht2
            or Mnemonic.Clflush => Nop, // CLFLUSH: a named estimate; the write-back traffic it causes is not modelled
        _ => null,
    };

    private static InstructionClass? Integer(Mnemonic m, Code code, OpCodeInfo op)
    {
        bool wide = op.OperandSize == 64;
        return m switch
        {
            Mnemonic.Imul when op.OpCount > 1 => wide ? Multiply64 : Multiply32,
            Mnemonic.Imul or Mnemonic.Mul => wide ? MultiplyWide64 : MultiplyWide32, // the one-operand forms: RDX:RAX
            Mnemonic.Lea => Lea,
            Mnemonic.Div => wide ? Divide64 : Divide32,
            Mnemonic.Idiv => wide ? SignedDivide64 : SignedDivide32,
            Mnemonic.Bsf => wide ? BitScanForward64 : BitScanForward32,
            Mnemonic.Bsr => BitScanReverse,
            Mnemonic.Lzcnt or Mnemonic.Tzcnt => wide ? ZeroCount64 : ZeroCount32,
            Mnemonic.Shld or Mnemonic.Shrd => DoubleShift,
            Mnemonic.Bts or Mnemonic.Btr or Mnemonic.Btc => BitTestModify,
            Mnemonic.Adc or Mnemonic.Sbb => AddWithCarry,
            Mnemonic.Rcl or Mnemonic.Rcr => RotateThroughCarry,
            Mnemonic.Xchg => HasGeneralRegisterOrMemory(op) ? ExchangeMemory : ExchangeRegister,
            Mnemonic.Cmpxchg or Mnemonic.Cmpxchg8b => CompareExchange,
            Mnemonic.Xadd => ExchangeAdd,
            Mnemonic.Leave => Leave,
            Mnemonic.Enter => Enter,
            Mnemonic.Lahf or Mnemonic.Sahf => FlagsToAh,
            Mnemonic.Cld => ClearDirection,
            Mnemonic.Std => SetDirection,
            Mnemonic.Push or Mnemonic.Pop => PushPop,
            Mnemonic.Cdq or Mnemonic.Cqo or Mnemonic.Cwd or Mnemonic.Cbw or Mnemonic.Cwde or Mnemonic.Cdqe
                or Mnemonic.Add or Mnemonic.Sub or Mnemonic.And or Mnemonic.Or or Mnemonic.Xor or Mnemonic.Cmp or Mnemonic.Test
                or Mnemonic.Neg or Mnemonic.Not or Mnemonic.Inc or Mnemonic.Dec or Mnemonic.Mov or Mnemonic.Movzx or Mnemonic.Movsx
                or Mnemonic.Movsxd or Mnemonic.Bswap or Mnemonic.Bt or Mnemonic.Clc or Mnemonic.Stc or Mnemonic.Cmc
                or Mnemonic.Shl or Mnemonic.Sal or Mnemonic.Shr or Mnemonic.Sar or Mnemonic.Rol or Mnemonic.Ror or Mnemonic.Movnti
                or Mnemonic.Xlatb => SimpleAlu, // XLAT: a load of AL, its memory time from the memory model
            _ => Conditional(code, op),
        };
    }

    /// <summary>CMOVcc (a general register destination) and SETcc (one r/m8 operand): a condition code on a non-branch.</summary>
    private static InstructionClass? Conditional(Code code, OpCodeInfo op)
    {
        if (code.ConditionCode() == ConditionCode.None || code.FlowControl() != FlowControl.Next || op.Encoding != EncodingKind.Legacy)
        {
            return null;
        }

        return op.OpCount switch
        {
            2 when op.Op0Kind is OpCodeOperandKind.r16_reg or OpCodeOperandKind.r32_reg or OpCodeOperandKind.r64_reg => ConditionalMove,
            1 when op.Op0Kind == OpCodeOperandKind.r8_or_mem => SetCondition,
            _ => null,
        };
    }

    private static InstructionClass? Branch(Mnemonic m, Code code) => code switch
    {
        _ when code.IsJmpFar() || code.IsJmpFarIndirect() || code.IsCallFar() || code.IsCallFarIndirect() => FarTransfer,
        _ when code.IsJmpNearIndirect() => IndirectJump,
        _ when code.IsJmpShortOrNear() => Jump,
        _ when code.IsCallNearIndirect() => IndirectCall,
        _ when code.IsCallNear() => Call,
        _ when m == Mnemonic.Ret => Return,
        _ when code.IsLoop() || code.IsLoopcc() => Loop,
        _ when code.IsJcxShort() => JumpIfCountZero,
        _ when code.IsJccShortOrNear() => ConditionalJump,
        _ => null,
    };

    private static InstructionClass? StringOperation(Code code, Mnemonic m) => !code.IsStringInstruction() ? null : m switch
    {
        Mnemonic.Movsb or Mnemonic.Movsw or Mnemonic.Movsd or Mnemonic.Movsq => MoveString,
        Mnemonic.Stosb or Mnemonic.Stosw or Mnemonic.Stosd or Mnemonic.Stosq => StoreString,
        Mnemonic.Lodsb or Mnemonic.Lodsw or Mnemonic.Lodsd or Mnemonic.Lodsq
            or Mnemonic.Cmpsb or Mnemonic.Cmpsw or Mnemonic.Cmpsd or Mnemonic.Cmpsq
            or Mnemonic.Scasb or Mnemonic.Scasw or Mnemonic.Scasd or Mnemonic.Scasq => OtherString,
        _ => null,
    };

    /// <summary>SSE/SSE2 (and the MMX forms of the same mnemonics); "packed" means a 128-bit operand.</summary>
    private static InstructionClass? Vector(Mnemonic m, OpCodeInfo op)
    {
        if (op.Encoding != EncodingKind.Legacy)
        {
            return null;
        }

        bool packed = op.MemorySize.GetSize() == 16;
        bool xmm = HasXmm(op);
        return m switch
        {
            Mnemonic.Sqrtsd or Mnemonic.Sqrtss => SqrtScalar,
            Mnemonic.Sqrtpd or Mnemonic.Sqrtps => SqrtPacked,
            Mnemonic.Divsd or Mnemonic.Divss => DivideScalar,
            Mnemonic.Divpd or Mnemonic.Divps => DividePacked,
            Mnemonic.Mulsd or Mnemonic.Mulss or Mnemonic.Mulpd or Mnemonic.Mulps => packed ? MultiplyPacked : MultiplyScalar,
            Mnemonic.Addsd or Mnemonic.Subsd or Mnemonic.Addss or Mnemonic.Subss or Mnemonic.Addpd or Mnemonic.Subpd or Mnemonic.Addps or Mnemonic.Subps
                or Mnemonic.Cmpsd or Mnemonic.Cmpss or Mnemonic.Cmppd or Mnemonic.Cmpps => packed ? AddPacked : AddScalar,
            Mnemonic.Minsd or Mnemonic.Maxsd or Mnemonic.Minss or Mnemonic.Maxss or Mnemonic.Minpd or Mnemonic.Maxpd or Mnemonic.Minps or Mnemonic.Maxps
                => packed ? MinMaxPacked : MinMaxScalar,
            Mnemonic.Comisd or Mnemonic.Ucomisd or Mnemonic.Comiss or Mnemonic.Ucomiss => CompareToFlags,
            Mnemonic.Pmullw or Mnemonic.Pmulhw or Mnemonic.Pmulhuw or Mnemonic.Pmuludq or Mnemonic.Pmaddwd => VectorIntegerMultiply,
            Mnemonic.Psadbw => SumOfAbsoluteDifferences,
            Mnemonic.Pshufd or Mnemonic.Pshuflw or Mnemonic.Pshufhw or Mnemonic.Pshufw or Mnemonic.Shufps or Mnemonic.Shufpd => Shuffle,
            Mnemonic.Pmovmskb or Mnemonic.Movmskps or Mnemonic.Movmskpd or Mnemonic.Pextrw => MoveMask,
            Mnemonic.Movd or Mnemonic.Movq when HasGeneralRegisterOrMemory(op) => MoveGeneralToVector,
            Mnemonic.Pinsrw => InsertWord,
            Mnemonic.Cvtdq2pd or Mnemonic.Cvtdq2ps or Mnemonic.Cvtpd2dq or Mnemonic.Cvtpd2pi or Mnemonic.Cvtpd2ps or Mnemonic.Cvtpi2pd
                or Mnemonic.Cvtpi2ps or Mnemonic.Cvtps2dq or Mnemonic.Cvtps2pd or Mnemonic.Cvtps2pi or Mnemonic.Cvtsd2si or Mnemonic.Cvtsd2ss
                or Mnemonic.Cvtsi2sd or Mnemonic.Cvtsi2ss or Mnemonic.Cvtss2sd or Mnemonic.Cvtss2si or Mnemonic.Cvttpd2dq or Mnemonic.Cvttpd2pi
                or Mnemonic.Cvttps2dq or Mnemonic.Cvttps2pi or Mnemonic.Cvttsd2si or Mnemonic.Cvttss2si => packed ? ConvertPacked : ConvertScalar,
            Mnemonic.Movaps or Mnemonic.Movapd or Mnemonic.Movups or Mnemonic.Movupd or Mnemonic.Movdqa or Mnemonic.Movdqu or Mnemonic.Movss
                or Mnemonic.Movsd or Mnemonic.Movq or Mnemonic.Movhps or Mnemonic.Movlps or Mnemonic.Movhpd or Mnemonic.Movlpd or Mnemonic.Movhlps
                or Mnemonic.Movlhps or Mnemonic.Movntdq or Mnemonic.Movntps or Mnemonic.Movntpd or Mnemonic.Movq2dq or Mnemonic.Movdq2q
                when xmm => packed ? VectorMovePacked : VectorMoveScalar,
            _ when xmm && IsSseFamily(op) => packed ? VectorSimplePacked : VectorSimpleScalar,
            _ => null,
        };
    }

    /// <summary>
    /// The MMX forms that <see cref="Vector"/> leaves (no XMM operand): moves as SSE moves of a 64-bit half,
    /// everything else (PADD, PAND, PCMPEQ, shifts, packs, unpacks, EMMS, FEMMS) as the SSE integer operations on one
    /// half, which the K8 runs in the same FADD/FMUL pipes with the same latencies (AMD 25112, Appendix C).
    /// </summary>
    private static InstructionClass? Mmx(Mnemonic m, OpCodeInfo op)
    {
        if (op.Encoding != EncodingKind.Legacy || !op.Code.CpuidFeatures().Any(f => f is CpuidFeature.MMX or CpuidFeature.SSE or CpuidFeature.SSE2 or CpuidFeature.D3NOW))
        {
            return null;
        }

        return m switch
        {
            Mnemonic.Movq or Mnemonic.Movntq or Mnemonic.Maskmovq => VectorMoveScalar,
            _ => VectorSimpleScalar,
        };
    }

    /// <summary>
    /// 3DNow! and extended 3DNow!, in the classes of their SSE scalar counterparts: PFADD, PFSUB, PFACC,
    /// PFCMP, PFMIN/PFMAX as ADDSS/CMPSS/MINSS; PFMUL and the reciprocal steps as MULSS; the conversions as
    /// CVT*; PMULHRW as PMULHW; PSWAPD and PAVGUSB as the simple integer operations.
    /// </summary>
    private static InstructionClass? Amd3DNow(Mnemonic m, OpCodeInfo op) => op.Encoding != EncodingKind.D3NOW ? null : m switch
    {
        Mnemonic.Pfadd or Mnemonic.Pfsub or Mnemonic.Pfsubr or Mnemonic.Pfacc or Mnemonic.Pfnacc or Mnemonic.Pfpnacc
            or Mnemonic.Pfcmpeq or Mnemonic.Pfcmpgt or Mnemonic.Pfcmpge => AddScalar,
        Mnemonic.Pfmin or Mnemonic.Pfmax => MinMaxScalar,
        Mnemonic.Pfmul or Mnemonic.Pfrcp or Mnemonic.Pfrsqrt or Mnemonic.Pfrcpit1 or Mnemonic.Pfrsqit1 or Mnemonic.Pfrcpit2 => MultiplyScalar,
        Mnemonic.Pf2id or Mnemonic.Pf2iw or Mnemonic.Pi2fd or Mnemonic.Pi2fw => ConvertScalar,
        Mnemonic.Pmulhrw => VectorIntegerMultiply,
        _ => VectorSimpleScalar,
    };

    private static InstructionClass? X87(Mnemonic m, Code code)
    {
        if (m != Mnemonic.Wait && !code.CpuidFeatures().Any(f => f is CpuidFeature.FPU or CpuidFeature.FPU287 or CpuidFeature.FPU387
            or CpuidFeature.FPU287XL_ONLY or CpuidFeature.FPU387SL_ONLY))
        {
            return null;
        }

        return m switch
        {
            Mnemonic.Fadd or Mnemonic.Faddp or Mnemonic.Fsub or Mnemonic.Fsubp or Mnemonic.Fsubr or Mnemonic.Fsubrp
                or Mnemonic.Fiadd or Mnemonic.Fisub or Mnemonic.Fisubr => FpAdd,
            Mnemonic.Fmul or Mnemonic.Fmulp or Mnemonic.Fimul => FpMultiply,
            Mnemonic.Fdiv or Mnemonic.Fdivp or Mnemonic.Fdivr or Mnemonic.Fdivrp or Mnemonic.Fidiv or Mnemonic.Fidivr => FpDivide,
            Mnemonic.Fsqrt => FpSqrt,
            Mnemonic.Fsin or Mnemonic.Fcos or Mnemonic.Fsincos or Mnemonic.Fptan or Mnemonic.Fpatan or Mnemonic.F2xm1 or Mnemonic.Fyl2x
                or Mnemonic.Fyl2xp1 or Mnemonic.Fprem or Mnemonic.Fprem1 or Mnemonic.Fscale or Mnemonic.Fxtract or Mnemonic.Frndint => FpMicrocoded,
            _ => FpOther,
        };
    }

    private static bool HasGeneralRegisterOrMemory(OpCodeInfo op) => Operands(op).Any(k => k is OpCodeOperandKind.r8_or_mem
        or OpCodeOperandKind.r16_or_mem or OpCodeOperandKind.r32_or_mem or OpCodeOperandKind.r64_or_mem);

    private static bool HasXmm(OpCodeInfo op) => Operands(op).Any(k => k is OpCodeOperandKind.xmm_reg or OpCodeOperandKind.xmm_rm or OpCodeOperandKind.xmm_or_mem);

    /// <summary>SSE or SSE2: the K8's vector extensions (later ones stay unclassified, as the interpreter lacks them).</summary>
    private static bool IsSseFamily(OpCodeInfo op) => op.Code.CpuidFeatures().Any(f => f is CpuidFeature.SSE or CpuidFeature.SSE2);

    private static IEnumerable<OpCodeOperandKind> Operands(OpCodeInfo op)
    {
        for (int i = 0; i < op.OpCount; i++)
        {
            yield return op.GetOpKind(i);
        }
    }
}
