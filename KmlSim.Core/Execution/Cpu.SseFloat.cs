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

        table.Add(Code.Cmpsd_xmm_xmmm64_imm8, &CompareScalarDouble);
        table.Add(Code.Cmpss_xmm_xmmm32_imm8, &CompareScalarSingle);
        table.Add(Code.Cmppd_xmm_xmmm128_imm8, &ComparePackedDouble);
        table.Add(Code.Cmpps_xmm_xmmm128_imm8, &ComparePackedSingle);
        table.Add(Code.Comisd_xmm_xmmm64, &OrderedCompareDouble);
        table.Add(Code.Ucomisd_xmm_xmmm64, &UnorderedCompareDouble);
        table.Add(Code.Comiss_xmm_xmmm32, &OrderedCompareSingle);
        table.Add(Code.Ucomiss_xmm_xmmm32, &UnorderedCompareSingle);

        RegisterSseConversions(table);
    }

    private static void AddScalarDouble(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarDouble(ref d, SseOperation.Add);
    private static void SubtractScalarDouble(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarDouble(ref d, SseOperation.Subtract);
    private static void MultiplyScalarDouble(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarDouble(ref d, SseOperation.Multiply);
    private static void DivideScalarDouble(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarDouble(ref d, SseOperation.Divide);
    private static void MinScalarDouble(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarDouble(ref d, SseOperation.Min);
    private static void MaxScalarDouble(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarDouble(ref d, SseOperation.Max);
    private static void SqrtScalarDouble(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarDouble(ref d, SseOperation.Sqrt);
    private static void AddScalarSingle(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarSingle(ref d, SseOperation.Add);
    private static void SubtractScalarSingle(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarSingle(ref d, SseOperation.Subtract);
    private static void MultiplyScalarSingle(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarSingle(ref d, SseOperation.Multiply);
    private static void DivideScalarSingle(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarSingle(ref d, SseOperation.Divide);
    private static void MinScalarSingle(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarSingle(ref d, SseOperation.Min);
    private static void MaxScalarSingle(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarSingle(ref d, SseOperation.Max);
    private static void SqrtScalarSingle(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarSingle(ref d, SseOperation.Sqrt);
    private static void AddPackedDouble(Cpu cpu, ref DecodedInstruction d) => cpu.PackedDouble(ref d, SseOperation.Add);
    private static void SubtractPackedDouble(Cpu cpu, ref DecodedInstruction d) => cpu.PackedDouble(ref d, SseOperation.Subtract);
    private static void MultiplyPackedDouble(Cpu cpu, ref DecodedInstruction d) => cpu.PackedDouble(ref d, SseOperation.Multiply);
    private static void DividePackedDouble(Cpu cpu, ref DecodedInstruction d) => cpu.PackedDouble(ref d, SseOperation.Divide);
    private static void MinPackedDouble(Cpu cpu, ref DecodedInstruction d) => cpu.PackedDouble(ref d, SseOperation.Min);
    private static void MaxPackedDouble(Cpu cpu, ref DecodedInstruction d) => cpu.PackedDouble(ref d, SseOperation.Max);
    private static void SqrtPackedDouble(Cpu cpu, ref DecodedInstruction d) => cpu.PackedDouble(ref d, SseOperation.Sqrt);
    private static void AddPackedSingle(Cpu cpu, ref DecodedInstruction d) => cpu.PackedSingle(ref d, SseOperation.Add);
    private static void SubtractPackedSingle(Cpu cpu, ref DecodedInstruction d) => cpu.PackedSingle(ref d, SseOperation.Subtract);
    private static void MultiplyPackedSingle(Cpu cpu, ref DecodedInstruction d) => cpu.PackedSingle(ref d, SseOperation.Multiply);
    private static void DividePackedSingle(Cpu cpu, ref DecodedInstruction d) => cpu.PackedSingle(ref d, SseOperation.Divide);
    private static void MinPackedSingle(Cpu cpu, ref DecodedInstruction d) => cpu.PackedSingle(ref d, SseOperation.Min);
    private static void MaxPackedSingle(Cpu cpu, ref DecodedInstruction d) => cpu.PackedSingle(ref d, SseOperation.Max);
    private static void SqrtPackedSingle(Cpu cpu, ref DecodedInstruction d) => cpu.PackedSingle(ref d, SseOperation.Sqrt);

    private void ScalarDouble(ref DecodedInstruction d, SseOperation op)
    {
        Vector128<ulong> destination = Xmm[d.Reg0].AsUInt64();
        ulong source = XmmSource(ref d).AsUInt64().ToScalar();
        uint flags = 0;
        ulong result = SseArithmetic.Double(op, destination.ToScalar(), source, Mxcsr, ref flags);
        RaiseSimdFlags(flags);
        Xmm[d.Reg0] = destination.WithElement(0, result).AsByte();
    }

    private void ScalarSingle(ref DecodedInstruction d, SseOperation op)
    {
        Vector128<uint> destination = Xmm[d.Reg0].AsUInt32();
        uint source = XmmSource(ref d).AsUInt32().ToScalar();
        uint flags = 0;
        uint result = SseArithmetic.Single(op, destination.ToScalar(), source, Mxcsr, ref flags);
        RaiseSimdFlags(flags);
        Xmm[d.Reg0] = destination.WithElement(0, result).AsByte();
    }

    private void PackedDouble(ref DecodedInstruction d, SseOperation op)
    {
        Vector128<ulong> destination = Xmm[d.Reg0].AsUInt64();
        Vector128<ulong> source = XmmSource(ref d).AsUInt64();
        uint flags = 0;
        ulong low = SseArithmetic.Double(op, destination.GetElement(0), source.GetElement(0), Mxcsr, ref flags);
        ulong high = SseArithmetic.Double(op, destination.GetElement(1), source.GetElement(1), Mxcsr, ref flags);
        RaiseSimdFlags(flags);
        Xmm[d.Reg0] = Vector128.Create(low, high).AsByte();
    }

    private void PackedSingle(ref DecodedInstruction d, SseOperation op)
    {
        Vector128<uint> destination = Xmm[d.Reg0].AsUInt32();
        Vector128<uint> source = XmmSource(ref d).AsUInt32();
        uint flags = 0;
        uint mxcsr = Mxcsr;
        Vector128<uint> result = Vector128.Create(
            SseArithmetic.Single(op, destination.GetElement(0), source.GetElement(0), mxcsr, ref flags),
            SseArithmetic.Single(op, destination.GetElement(1), source.GetElement(1), mxcsr, ref flags),
            SseArithmetic.Single(op, destination.GetElement(2), source.GetElement(2), mxcsr, ref flags),
            SseArithmetic.Single(op, destination.GetElement(3), source.GetElement(3), mxcsr, ref flags));
        RaiseSimdFlags(flags);
        Xmm[d.Reg0] = result.AsByte();
    }

    private static ulong Mask64(bool condition) => condition ? ulong.MaxValue : 0;

    private static uint Mask32(bool condition) => condition ? uint.MaxValue : 0;

    private static void CompareScalarDouble(Cpu cpu, ref DecodedInstruction d)
    {
        Vector128<ulong> destination = cpu.Xmm[d.Reg0].AsUInt64();
        ulong source = cpu.XmmSource(ref d).AsUInt64().ToScalar();
        uint flags = 0;
        bool result = SseComparison.Predicate64(destination.ToScalar(), source, (int)d.Immediate, cpu.Mxcsr, ref flags);
        cpu.RaiseSimdFlags(flags);
        cpu.Xmm[d.Reg0] = destination.WithElement(0, Mask64(result)).AsByte();
    }

    private static void CompareScalarSingle(Cpu cpu, ref DecodedInstruction d)
    {
        Vector128<uint> destination = cpu.Xmm[d.Reg0].AsUInt32();
        uint source = cpu.XmmSource(ref d).AsUInt32().ToScalar();
        uint flags = 0;
        bool result = SseComparison.Predicate32(destination.ToScalar(), source, (int)d.Immediate, cpu.Mxcsr, ref flags);
        cpu.RaiseSimdFlags(flags);
        cpu.Xmm[d.Reg0] = destination.WithElement(0, Mask32(result)).AsByte();
    }

    private static void ComparePackedDouble(Cpu cpu, ref DecodedInstruction d)
    {
        Vector128<ulong> destination = cpu.Xmm[d.Reg0].AsUInt64();
        Vector128<ulong> source = cpu.XmmSource(ref d).AsUInt64();
        int predicate = (int)d.Immediate;
        uint flags = 0;
        ulong low = Mask64(SseComparison.Predicate64(destination.GetElement(0), source.GetElement(0), predicate, cpu.Mxcsr, ref flags));
        ulong high = Mask64(SseComparison.Predicate64(destination.GetElement(1), source.GetElement(1), predicate, cpu.Mxcsr, ref flags));
        cpu.RaiseSimdFlags(flags);
        cpu.Xmm[d.Reg0] = Vector128.Create(low, high).AsByte();
    }

    private static void ComparePackedSingle(Cpu cpu, ref DecodedInstruction d)
    {
        Vector128<uint> destination = cpu.Xmm[d.Reg0].AsUInt32();
        Vector128<uint> source = cpu.XmmSource(ref d).AsUInt32();
        int predicate = (int)d.Immediate;
        uint mxcsr = cpu.Mxcsr;
        uint flags = 0;
        Vector128<uint> result = Vector128.Create(
            Mask32(SseComparison.Predicate32(destination.GetElement(0), source.GetElement(0), predicate, mxcsr, ref flags)),
            Mask32(SseComparison.Predicate32(destination.GetElement(1), source.GetElement(1), predicate, mxcsr, ref flags)),
            Mask32(SseComparison.Predicate32(destination.GetElement(2), source.GetElement(2), predicate, mxcsr, ref flags)),
            Mask32(SseComparison.Predicate32(destination.GetElement(3), source.GetElement(3), predicate, mxcsr, ref flags)));
        cpu.RaiseSimdFlags(flags);
        cpu.Xmm[d.Reg0] = result.AsByte();
    }

    private static void OrderedCompareDouble(Cpu cpu, ref DecodedInstruction d) => cpu.CompareToFlagsDouble(ref d, signaling: true);
    private static void UnorderedCompareDouble(Cpu cpu, ref DecodedInstruction d) => cpu.CompareToFlagsDouble(ref d, signaling: false);
    private static void OrderedCompareSingle(Cpu cpu, ref DecodedInstruction d) => cpu.CompareToFlagsSingle(ref d, signaling: true);
    private static void UnorderedCompareSingle(Cpu cpu, ref DecodedInstruction d) => cpu.CompareToFlagsSingle(ref d, signaling: false);

    /// <summary>COMISD/UCOMISD: ZF, PF, CF from the comparison; OF, SF and AF cleared.</summary>
    private void CompareToFlagsDouble(ref DecodedInstruction d, bool signaling)
    {
        ulong source = XmmSource(ref d).AsUInt64().ToScalar();
        uint flags = 0;
        ulong status = SseComparison.OrderFlags64(Xmm[d.Reg0].AsUInt64().ToScalar(), source, signaling, Mxcsr, ref flags);
        RaiseSimdFlags(flags);
        SetStatus(status);
    }

    private void CompareToFlagsSingle(ref DecodedInstruction d, bool signaling)
    {
        uint source = XmmSource(ref d).AsUInt32().ToScalar();
        uint flags = 0;
        ulong status = SseComparison.OrderFlags32(Xmm[d.Reg0].AsUInt32().ToScalar(), source, signaling, Mxcsr, ref flags);
        RaiseSimdFlags(flags);
        SetStatus(status);
    }
}
