using System.Runtime.Intrinsics;
using Iced.Intel;
using KmlSim.Decoding;

namespace KmlSim.Execution;

/// <summary>
/// SSE/SSE2 floating-point arithmetic (ADD/SUB/MUL/DIV/MIN/MAX/SQRT in SS/SD/PS/PD), the CMPxx
/// predicates and COMIS/UCOMIS. Lane semantics (NaN rules, MXCSR rounding and flags) live in
/// <see cref="SseArithmetic"/> and <see cref="SseComparison"/>; these handlers pick lanes, merge scalar
/// results into the destination's untouched upper lanes, and raise the accumulated flags before writing
/// (an unmasked exception leaves the destination unchanged). The logical ANDPS/ORPS/XORPS family is the
/// integer family's bit operations (<see cref="RegisterSseInteger"/>).
/// </summary>
public sealed unsafe partial class Cpu
{
    internal static void RegisterSseFloat(HandlerTable table)
    {
        table.Add(Code.Addsd_xmm_xmmm64, &AddScalarDouble);
        table.Add(Code.Subsd_xmm_xmmm64, &SubtractScalarDouble);
        table.Add(Code.Mulsd_xmm_xmmm64, &MultiplyScalarDouble);
        table.Add(Code.Divsd_xmm_xmmm64, &DivideScalarDouble);
        table.Add(Code.Minsd_xmm_xmmm64, &MinScalarDouble);
        table.Add(Code.Maxsd_xmm_xmmm64, &MaxScalarDouble);
        table.Add(Code.Sqrtsd_xmm_xmmm64, &SqrtScalarDouble);
        table.Add(Code.Addss_xmm_xmmm32, &AddScalarSingle);
        table.Add(Code.Subss_xmm_xmmm32, &SubtractScalarSingle);
        table.Add(Code.Mulss_xmm_xmmm32, &MultiplyScalarSingle);
        table.Add(Code.Divss_xmm_xmmm32, &DivideScalarSingle);
        table.Add(Code.Minss_xmm_xmmm32, &MinScalarSingle);
        table.Add(Code.Maxss_xmm_xmmm32, &MaxScalarSingle);
        table.Add(Code.Sqrtss_xmm_xmmm32, &SqrtScalarSingle);
        table.Add(Code.Addpd_xmm_xmmm128, &AddPackedDouble);
        table.Add(Code.Subpd_xmm_xmmm128, &SubtractPackedDouble);
        table.Add(Code.Mulpd_xmm_xmmm128, &MultiplyPackedDouble);
        table.Add(Code.Divpd_xmm_xmmm128, &DividePackedDouble);
        table.Add(Code.Minpd_xmm_xmmm128, &MinPackedDouble);
        table.Add(Code.Maxpd_xmm_xmmm128, &MaxPackedDouble);
        table.Add(Code.Sqrtpd_xmm_xmmm128, &SqrtPackedDouble);
        table.Add(Code.Addps_xmm_xmmm128, &AddPackedSingle);
        table.Add(Code.Subps_xmm_xmmm128, &SubtractPackedSingle);
        table.Add(Code.Mulps_xmm_xmmm128, &MultiplyPackedSingle);
        table.Add(Code.Divps_xmm_xmmm128, &DividePackedSingle);
        table.Add(Code.Minps_xmm_xmmm128, &MinPackedSingle);
        table.Add(Code.Maxps_xmm_xmmm128, &MaxPackedSingle);
        table.Add(Code.Sqrtps_xmm_xmmm128, &SqrtPackedSingle);

        table.Add(Code.Cmpsd_xmm_xmmm64_imm8, &CompareScalar<SseDouble>);
        table.Add(Code.Cmpss_xmm_xmmm32_imm8, &CompareScalar<SseSingle>);
        table.Add(Code.Cmppd_xmm_xmmm128_imm8, &ComparePacked<SseDouble>);
        table.Add(Code.Cmpps_xmm_xmmm128_imm8, &ComparePacked<SseSingle>);
        table.Add(Code.Comisd_xmm_xmmm64, &OrderedCompareDouble);
        table.Add(Code.Ucomisd_xmm_xmmm64, &UnorderedCompareDouble);
        table.Add(Code.Comiss_xmm_xmmm32, &OrderedCompareSingle);
        table.Add(Code.Ucomiss_xmm_xmmm32, &UnorderedCompareSingle);

        RegisterSseConversions(table);
    }

    private static void AddScalarDouble(Cpu cpu, ref DecodedInstruction d) => cpu.Scalar<SseDouble>(ref d, SseOperation.Add);
    private static void SubtractScalarDouble(Cpu cpu, ref DecodedInstruction d) => cpu.Scalar<SseDouble>(ref d, SseOperation.Subtract);
    private static void MultiplyScalarDouble(Cpu cpu, ref DecodedInstruction d) => cpu.Scalar<SseDouble>(ref d, SseOperation.Multiply);
    private static void DivideScalarDouble(Cpu cpu, ref DecodedInstruction d) => cpu.Scalar<SseDouble>(ref d, SseOperation.Divide);
    private static void MinScalarDouble(Cpu cpu, ref DecodedInstruction d) => cpu.Scalar<SseDouble>(ref d, SseOperation.Min);
    private static void MaxScalarDouble(Cpu cpu, ref DecodedInstruction d) => cpu.Scalar<SseDouble>(ref d, SseOperation.Max);
    private static void SqrtScalarDouble(Cpu cpu, ref DecodedInstruction d) => cpu.Scalar<SseDouble>(ref d, SseOperation.Sqrt);
    private static void AddScalarSingle(Cpu cpu, ref DecodedInstruction d) => cpu.Scalar<SseSingle>(ref d, SseOperation.Add);
    private static void SubtractScalarSingle(Cpu cpu, ref DecodedInstruction d) => cpu.Scalar<SseSingle>(ref d, SseOperation.Subtract);
    private static void MultiplyScalarSingle(Cpu cpu, ref DecodedInstruction d) => cpu.Scalar<SseSingle>(ref d, SseOperation.Multiply);
    private static void DivideScalarSingle(Cpu cpu, ref DecodedInstruction d) => cpu.Scalar<SseSingle>(ref d, SseOperation.Divide);
    private static void MinScalarSingle(Cpu cpu, ref DecodedInstruction d) => cpu.Scalar<SseSingle>(ref d, SseOperation.Min);
    private static void MaxScalarSingle(Cpu cpu, ref DecodedInstruction d) => cpu.Scalar<SseSingle>(ref d, SseOperation.Max);
    private static void SqrtScalarSingle(Cpu cpu, ref DecodedInstruction d) => cpu.Scalar<SseSingle>(ref d, SseOperation.Sqrt);
    private static void AddPackedDouble(Cpu cpu, ref DecodedInstruction d) => cpu.Packed<SseDouble>(ref d, SseOperation.Add);
    private static void SubtractPackedDouble(Cpu cpu, ref DecodedInstruction d) => cpu.Packed<SseDouble>(ref d, SseOperation.Subtract);
    private static void MultiplyPackedDouble(Cpu cpu, ref DecodedInstruction d) => cpu.Packed<SseDouble>(ref d, SseOperation.Multiply);
    private static void DividePackedDouble(Cpu cpu, ref DecodedInstruction d) => cpu.Packed<SseDouble>(ref d, SseOperation.Divide);
    private static void MinPackedDouble(Cpu cpu, ref DecodedInstruction d) => cpu.Packed<SseDouble>(ref d, SseOperation.Min);
    private static void MaxPackedDouble(Cpu cpu, ref DecodedInstruction d) => cpu.Packed<SseDouble>(ref d, SseOperation.Max);
    private static void SqrtPackedDouble(Cpu cpu, ref DecodedInstruction d) => cpu.Packed<SseDouble>(ref d, SseOperation.Sqrt);
    private static void AddPackedSingle(Cpu cpu, ref DecodedInstruction d) => cpu.Packed<SseSingle>(ref d, SseOperation.Add);
    private static void SubtractPackedSingle(Cpu cpu, ref DecodedInstruction d) => cpu.Packed<SseSingle>(ref d, SseOperation.Subtract);
    private static void MultiplyPackedSingle(Cpu cpu, ref DecodedInstruction d) => cpu.Packed<SseSingle>(ref d, SseOperation.Multiply);
    private static void DividePackedSingle(Cpu cpu, ref DecodedInstruction d) => cpu.Packed<SseSingle>(ref d, SseOperation.Divide);
    private static void MinPackedSingle(Cpu cpu, ref DecodedInstruction d) => cpu.Packed<SseSingle>(ref d, SseOperation.Min);
    private static void MaxPackedSingle(Cpu cpu, ref DecodedInstruction d) => cpu.Packed<SseSingle>(ref d, SseOperation.Max);
    private static void SqrtPackedSingle(Cpu cpu, ref DecodedInstruction d) => cpu.Packed<SseSingle>(ref d, SseOperation.Sqrt);

    /// <summary>The SS/SD forms: lane 0 computed, the destination's other lanes kept.</summary>
    private void Scalar<TFormat>(ref DecodedInstruction d, SseOperation op)
        where TFormat : ISseFormat
    {
        ulong destination = TFormat.Lane(Xmm[d.Reg0], 0);
        ulong source = TFormat.Lane(XmmSource(ref d), 0);
        uint flags = 0;
        ulong result = SseArithmetic.Lane<TFormat>(op, destination, source, Mxcsr, ref flags);
        FinishScalar<TFormat>(ref d, flags, result);
    }

    /// <summary>The PS/PD forms: every lane.</summary>
    private void Packed<TFormat>(ref DecodedInstruction d, SseOperation op)
        where TFormat : ISseFormat
    {
        Vector128<byte> destination = Xmm[d.Reg0];
        Vector128<byte> source = XmmSource(ref d);
        uint mxcsr = Mxcsr;
        uint flags = 0;
        Vector128<byte> result = destination;
        for (int lane = 0; lane < TFormat.Lanes; lane++)
        {
            ulong value = SseArithmetic.Lane<TFormat>(op, TFormat.Lane(destination, lane), TFormat.Lane(source, lane), mxcsr, ref flags);
            result = TFormat.WithLane(result, lane, value);
        }

        RaiseSimdFlags(flags);
        Xmm[d.Reg0] = result;
    }

    /// <summary>CMPSS/CMPSD: lane 0 becomes the predicate's mask, the other lanes are kept.</summary>
    private static void CompareScalar<TFormat>(Cpu cpu, ref DecodedInstruction d)
        where TFormat : ISseFormat
    {
        ulong destination = TFormat.Lane(cpu.Xmm[d.Reg0], 0);
        ulong source = TFormat.Lane(cpu.XmmSource(ref d), 0);
        uint flags = 0;
        bool result = SseComparison.Predicate<TFormat>(destination, source, (int)d.Immediate, cpu.Mxcsr, ref flags);
        cpu.FinishScalar<TFormat>(ref d, flags, result ? TFormat.AllOnes : 0);
    }

    /// <summary>CMPPS/CMPPD: every lane becomes its predicate's mask.</summary>
    private static void ComparePacked<TFormat>(Cpu cpu, ref DecodedInstruction d)
        where TFormat : ISseFormat
    {
        Vector128<byte> destination = cpu.Xmm[d.Reg0];
        Vector128<byte> source = cpu.XmmSource(ref d);
        int predicate = (int)d.Immediate;
        uint mxcsr = cpu.Mxcsr;
        uint flags = 0;
        Vector128<byte> result = destination;
        for (int lane = 0; lane < TFormat.Lanes; lane++)
        {
            bool value = SseComparison.Predicate<TFormat>(TFormat.Lane(destination, lane), TFormat.Lane(source, lane), predicate, mxcsr, ref flags);
            result = TFormat.WithLane(result, lane, value ? TFormat.AllOnes : 0);
        }

        cpu.RaiseSimdFlags(flags);
        cpu.Xmm[d.Reg0] = result;
    }

    private static void OrderedCompareDouble(Cpu cpu, ref DecodedInstruction d) => cpu.CompareToFlags<SseDouble>(ref d, signaling: true);
    private static void UnorderedCompareDouble(Cpu cpu, ref DecodedInstruction d) => cpu.CompareToFlags<SseDouble>(ref d, signaling: false);
    private static void OrderedCompareSingle(Cpu cpu, ref DecodedInstruction d) => cpu.CompareToFlags<SseSingle>(ref d, signaling: true);
    private static void UnorderedCompareSingle(Cpu cpu, ref DecodedInstruction d) => cpu.CompareToFlags<SseSingle>(ref d, signaling: false);

    /// <summary>COMISx/UCOMISx: ZF, PF, CF from the comparison; OF, SF and AF cleared.</summary>
    private void CompareToFlags<TFormat>(ref DecodedInstruction d, bool signaling)
        where TFormat : ISseFormat
    {
        ulong source = TFormat.Lane(XmmSource(ref d), 0);
        uint flags = 0;
        ulong status = SseComparison.OrderFlags<TFormat>(TFormat.Lane(Xmm[d.Reg0], 0), source, signaling, Mxcsr, ref flags);
        RaiseSimdFlags(flags);
        SetStatus(status);
    }
}
