using Iced.Intel;
using KmlSim.Decoding;
using static KmlSim.Execution.Amd3DNowMath;

namespace KmlSim.Execution;

/// <summary>
/// AMD 3DNow! (CPUID 8000_0001h EDX bit 31) and extended 3DNow! (bit 30) on MMX registers: each takes the
/// destination and an mm/m64 source and writes the destination, with the MMX effect on the x87 state.
/// Lane arithmetic is in <see cref="Amd3DNowMath"/>. PAVGUSB is MMX-extension PAVGB under another opcode
/// and runs that handler (Cpu.Mmx.cs). The Cyrix forms Iced also decodes (PFRCPV, PFRSQRTV) stay #UD.
/// </summary>
public sealed unsafe partial class Cpu
{
    /// <summary>For each 3DNow! code (indexed by <see cref="Code"/>): its operation on (destination, source).</summary>
    private static readonly nint[] Amd3DNowOperations = new nint[CodeCount];

    internal static void RegisterAmd3DNow(HandlerTable table)
    {
        Add3DNow(table, Code.D3NOW_Pfadd_mm_mmm64, &PfAdd);
        Add3DNow(table, Code.D3NOW_Pfsub_mm_mmm64, &PfSubtract);
        Add3DNow(table, Code.D3NOW_Pfsubr_mm_mmm64, &PfSubtractReversed);
        Add3DNow(table, Code.D3NOW_Pfmul_mm_mmm64, &PfMultiply);
        Add3DNow(table, Code.D3NOW_Pfacc_mm_mmm64, &PfAccumulate);
        Add3DNow(table, Code.D3NOW_Pfnacc_mm_mmm64, &PfNegativeAccumulate);
        Add3DNow(table, Code.D3NOW_Pfpnacc_mm_mmm64, &PfPositiveNegativeAccumulate);
        Add3DNow(table, Code.D3NOW_Pfcmpeq_mm_mmm64, &PfCompareEqual);
        Add3DNow(table, Code.D3NOW_Pfcmpgt_mm_mmm64, &PfCompareGreater);
        Add3DNow(table, Code.D3NOW_Pfcmpge_mm_mmm64, &PfCompareGreaterOrEqual);
        Add3DNow(table, Code.D3NOW_Pfmin_mm_mmm64, &PfMinimum);
        Add3DNow(table, Code.D3NOW_Pfmax_mm_mmm64, &PfMaximum);
        Add3DNow(table, Code.D3NOW_Pfrcp_mm_mmm64, &PfReciprocal);
        Add3DNow(table, Code.D3NOW_Pfrsqrt_mm_mmm64, &PfReciprocalSquareRoot);
        Add3DNow(table, Code.D3NOW_Pfrcpit1_mm_mmm64, &PfReciprocalStep1);
        Add3DNow(table, Code.D3NOW_Pfrsqit1_mm_mmm64, &PfReciprocalSquareRootStep1);
        Add3DNow(table, Code.D3NOW_Pfrcpit2_mm_mmm64, &PfReciprocalStep2);
        Add3DNow(table, Code.D3NOW_Pf2id_mm_mmm64, &PfToInt32);
        Add3DNow(table, Code.D3NOW_Pf2iw_mm_mmm64, &PfToInt16);
        Add3DNow(table, Code.D3NOW_Pi2fd_mm_mmm64, &PiFromInt32);
        Add3DNow(table, Code.D3NOW_Pi2fw_mm_mmm64, &PiFromInt16);
        Add3DNow(table, Code.D3NOW_Pmulhrw_mm_mmm64, &MultiplyHighRoundedWords);
        Add3DNow(table, Code.D3NOW_Pswapd_mm_mmm64, &SwapDwords);
        LiftToSse(table, Code.D3NOW_Pavgusb_mm_mmm64, Code.Pavgb_xmm_xmmm128, MmxLift.LowHalf);
    }

    private static void Add3DNow(HandlerTable table, Code code, delegate*<ulong, ulong, ulong> operation)
    {
        Amd3DNowOperations[(int)code] = (nint)operation;
        table.Add(code, &Run3DNow);
    }

    private static void Run3DNow(Cpu cpu, ref DecodedInstruction d)
    {
        ulong source = d.Kind1 == OperandKind.Mmx ? cpu.ReadMmx(d.Reg1) : cpu.Mmu.Read64(cpu.EffectiveAddress(ref d));
        ulong result = ((delegate*<ulong, ulong, ulong>)Amd3DNowOperations[(int)d.Code])(cpu.ReadMmx(d.Reg0), source);
        cpu.WriteMmx(d.Reg0, result);
        cpu.EnterMmxState();
    }

    private static ulong PfAdd(ulong a, ulong b) => Lanes(a, b, static (x, y) => Sum(x, y));

    private static ulong PfSubtract(ulong a, ulong b) => Lanes(a, b, static (x, y) => Sum(x, -y));

    private static ulong PfSubtractReversed(ulong a, ulong b) => Lanes(a, b, static (x, y) => Sum(y, -x));

    private static ulong PfMultiply(ulong a, ulong b) => Lanes(a, b, static (x, y) => Product(x, y));

    /// <summary>PFACC: low = sum of the destination's lanes, high = sum of the source's.</summary>
    private static ulong PfAccumulate(ulong a, ulong b) =>
        Pair(Store(Sum(Lane(a, 0), Lane(a, 1))), Store(Sum(Lane(b, 0), Lane(b, 1))));

    /// <summary>PFNACC: low = destination low - high, high = source low - high.</summary>
    private static ulong PfNegativeAccumulate(ulong a, ulong b) =>
        Pair(Store(Sum(Lane(a, 0), -Lane(a, 1))), Store(Sum(Lane(b, 0), -Lane(b, 1))));

    /// <summary>PFPNACC: low = destination low - high, high = source low + high.</summary>
    private static ulong PfPositiveNegativeAccumulate(ulong a, ulong b) =>
        Pair(Store(Sum(Lane(a, 0), -Lane(a, 1))), Store(Sum(Lane(b, 0), Lane(b, 1))));

    private static ulong PfCompareEqual(ulong a, ulong b) =>
        Pair(Mask(Lane(a, 0) == Lane(b, 0)), Mask(Lane(a, 1) == Lane(b, 1)));

    private static ulong PfCompareGreater(ulong a, ulong b) =>
        Pair(Mask(Lane(a, 0) > Lane(b, 0)), Mask(Lane(a, 1) > Lane(b, 1)));

    private static ulong PfCompareGreaterOrEqual(ulong a, ulong b) =>
        Pair(Mask(Lane(a, 0) >= Lane(b, 0)), Mask(Lane(a, 1) >= Lane(b, 1)));

    /// <summary>PFMIN: the smaller lane; when neither is smaller (equal, or zeros of either sign) the source's, as SSE's MINPS.</summary>
    private static ulong PfMinimum(ulong a, ulong b) => Pair(Minimum(a, b, 0), Minimum(a, b, 1));

    /// <summary>PFMAX: the larger lane; when neither is larger the source's, as SSE's MAXPS.</summary>
    private static ulong PfMaximum(ulong a, ulong b) => Pair(Maximum(a, b, 0), Maximum(a, b, 1));

    private static uint Minimum(ulong a, ulong b, int lane) =>
        BitConverter.SingleToUInt32Bits(Lane(a, lane) < Lane(b, lane) ? Lane(a, lane) : Lane(b, lane));

    private static uint Maximum(ulong a, ulong b, int lane) =>
        BitConverter.SingleToUInt32Bits(Lane(a, lane) > Lane(b, lane) ? Lane(a, lane) : Lane(b, lane));

    /// <summary>PFRCP: the reciprocal of the source's low lane, in both lanes.</summary>
    private static ulong PfReciprocal(ulong a, ulong b)
    {
        uint result = Reciprocal(Lane(b, 0));
        return Pair(result, result);
    }

    /// <summary>PFRSQRT: the reciprocal square root of the source's low lane, in both lanes.</summary>
    private static ulong PfReciprocalSquareRoot(ulong a, ulong b)
    {
        uint result = ReciprocalSquareRoot(Lane(b, 0));
        return Pair(result, result);
    }

    /// <summary>
    /// PFRCPIT1 (destination = b, source = the approximation X0): the first Newton-Raphson step for 1/b. The
    /// manuals leave the intermediate's form to the implementation and define only that PFRCPIT2 of it and X0
    /// gives the 24-bit reciprocal; this model keeps the correction 1 - b*X0, small and exact enough as a single.
    /// </summary>
    private static ulong PfReciprocalStep1(ulong a, ulong b) =>
        Lanes(a, b, static (x, y) => Math.FusedMultiplyAdd(-(double)x, y, 1.0));

    /// <summary>PFRSQIT1 (destination = b, source = X0 squared): the first step for 1/sqrt(b), kept as the correction (1 - b*X0^2) / 2.</summary>
    private static ulong PfReciprocalSquareRootStep1(ulong a, ulong b) =>
        Lanes(a, b, static (x, y) => Math.FusedMultiplyAdd(-(double)x, y, 1.0) / 2);

    /// <summary>PFRCPIT2 (destination = the step-1 correction e, source = X0): the refined X0 + X0*e, for both reciprocal iterations.</summary>
    private static ulong PfReciprocalStep2(ulong a, ulong b) =>
        Lanes(a, b, static (x, y) => Math.FusedMultiplyAdd((double)y, x, y));

    private static ulong PfToInt32(ulong a, ulong b) => Pair(ToInt32(Lane(b, 0)), ToInt32(Lane(b, 1)));

    private static ulong PfToInt16(ulong a, ulong b) => Pair(ToInt16(Lane(b, 0)), ToInt16(Lane(b, 1)));

    private static ulong PiFromInt32(ulong a, ulong b) => Pair(FromInt32((int)b), FromInt32((int)(b >> 32)));

    /// <summary>PI2FW: the low word of each source dword, sign-extended (16 bits convert exactly).</summary>
    private static ulong PiFromInt16(ulong a, ulong b) => Pair(FromInt32((short)b), FromInt32((short)(b >> 32)));

    /// <summary>PMULHRW: the high words of the signed products, rounded by adding 8000h before the shift.</summary>
    private static ulong MultiplyHighRoundedWords(ulong a, ulong b)
    {
        ulong result = 0;
        for (int i = 0; i < 4; i++)
        {
            int product = ((short)(a >> (16 * i)) * (short)(b >> (16 * i))) + 0x8000;
            result |= (ulong)(ushort)(product >> 16) << (16 * i);
        }

        return result;
    }

    /// <summary>PSWAPD: the source's two dwords, exchanged.</summary>
    private static ulong SwapDwords(ulong a, ulong b) => (b >> 32) | (b << 32);
}
