using System.Runtime.Intrinsics;
using Iced.Intel;
using KmlSim.Decoding;

namespace KmlSim.Execution;

/// <summary>
/// SSE/SSE2 conversions between integers, singles and doubles (the XMM forms; the MMX forms CVTPI2PS,
/// CVTPS2PI and relatives run these through Cpu.Mmx.cs). Lane semantics are in <see cref="SseConversion"/>.
/// </summary>
public sealed unsafe partial class Cpu
{
    private static void RegisterSseConversions(HandlerTable table)
    {
        table.Add(Code.Cvtsi2sd_xmm_rm32, &ConvertIntegerToScalarDouble);
        table.Add(Code.Cvtsi2sd_xmm_rm64, &ConvertIntegerToScalarDouble);
        table.Add(Code.Cvtsi2ss_xmm_rm32, &ConvertIntegerToScalarSingle);
        table.Add(Code.Cvtsi2ss_xmm_rm64, &ConvertIntegerToScalarSingle);
        table.Add(Code.Cvtsd2si_r32_xmmm64, &ConvertScalarDoubleToInteger);
        table.Add(Code.Cvtsd2si_r64_xmmm64, &ConvertScalarDoubleToInteger);
        table.Add(Code.Cvttsd2si_r32_xmmm64, &TruncateScalarDoubleToInteger);
        table.Add(Code.Cvttsd2si_r64_xmmm64, &TruncateScalarDoubleToInteger);
        table.Add(Code.Cvtss2si_r32_xmmm32, &ConvertScalarSingleToInteger);
        table.Add(Code.Cvtss2si_r64_xmmm32, &ConvertScalarSingleToInteger);
        table.Add(Code.Cvttss2si_r32_xmmm32, &TruncateScalarSingleToInteger);
        table.Add(Code.Cvttss2si_r64_xmmm32, &TruncateScalarSingleToInteger);
        table.Add(Code.Cvtsd2ss_xmm_xmmm64, &ConvertScalarDoubleToSingle);
        table.Add(Code.Cvtss2sd_xmm_xmmm32, &ConvertScalarSingleToDouble);
        table.Add(Code.Cvtdq2pd_xmm_xmmm64, &ConvertDwordsToDoubles);
        table.Add(Code.Cvtdq2ps_xmm_xmmm128, &ConvertDwordsToSingles);
        table.Add(Code.Cvtps2dq_xmm_xmmm128, &ConvertSinglesToDwords);
        table.Add(Code.Cvttps2dq_xmm_xmmm128, &TruncateSinglesToDwords);
        table.Add(Code.Cvtpd2dq_xmm_xmmm128, &ConvertDoublesToDwords);
        table.Add(Code.Cvttpd2dq_xmm_xmmm128, &TruncateDoublesToDwords);
        table.Add(Code.Cvtps2pd_xmm_xmmm64, &ConvertSinglesToDoubles);
        table.Add(Code.Cvtpd2ps_xmm_xmmm128, &ConvertDoublesToSingles);
    }

    /// <summary>The signed integer source of CVTSI2xx (a 32-bit operand is sign-extended).</summary>
    private long IntegerSource(ref DecodedInstruction d)
    {
        ulong value = Read1(ref d, AddressIfMemory(ref d));
        return d.Size1 == 4 ? (int)value : (long)value;
    }

    private static void ConvertIntegerToScalarDouble(Cpu cpu, ref DecodedInstruction d)
    {
        long value = cpu.IntegerSource(ref d);
        uint flags = 0;
        ulong result = SseConversion.IntegerToDouble(value, cpu.Mxcsr, ref flags);
        cpu.FinishScalar<SseDouble>(ref d, flags, result);
    }

    private static void ConvertIntegerToScalarSingle(Cpu cpu, ref DecodedInstruction d)
    {
        long value = cpu.IntegerSource(ref d);
        uint flags = 0;
        uint result = SseConversion.IntegerToSingle(value, cpu.Mxcsr, ref flags);
        cpu.FinishScalar<SseSingle>(ref d, flags, result);
    }

    private static void ConvertScalarDoubleToInteger(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarToInteger<SseDouble>(ref d, truncate: false);
    private static void TruncateScalarDoubleToInteger(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarToInteger<SseDouble>(ref d, truncate: true);
    private static void ConvertScalarSingleToInteger(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarToInteger<SseSingle>(ref d, truncate: false);
    private static void TruncateScalarSingleToInteger(Cpu cpu, ref DecodedInstruction d) => cpu.ScalarToInteger<SseSingle>(ref d, truncate: true);

    /// <summary>CVT(T)SS2SI, CVT(T)SD2SI: lane 0 to a 32- or 64-bit register.</summary>
    private void ScalarToInteger<TFormat>(ref DecodedInstruction d, bool truncate)
        where TFormat : ISseFormat
    {
        double value = SseConversion.Operand<TFormat>(TFormat.Lane(XmmSource(ref d), 0), Mxcsr);
        uint flags = 0;
        ulong result = SseConversion.DoubleToInteger(value, d.Size0 == 8, truncate, Mxcsr, ref flags);
        RaiseSimdFlags(flags);
        WriteGpr(d.Reg0, d.Size0, result);
    }

    private static void ConvertScalarDoubleToSingle(Cpu cpu, ref DecodedInstruction d)
    {
        ulong source = cpu.XmmSource(ref d).AsUInt64().ToScalar();
        uint flags = 0;
        uint result = SseConversion.DoubleToSingle(source, cpu.Mxcsr, ref flags);
        cpu.FinishScalar<SseSingle>(ref d, flags, result);
    }

    private static void ConvertScalarSingleToDouble(Cpu cpu, ref DecodedInstruction d)
    {
        uint source = cpu.XmmSource(ref d).AsUInt32().ToScalar();
        uint flags = 0;
        ulong result = SseConversion.SingleToDouble(source, cpu.Mxcsr, ref flags);
        cpu.FinishScalar<SseDouble>(ref d, flags, result);
    }

    /// <summary>CVTDQ2PD: the two low dwords, exactly.</summary>
    private static void ConvertDwordsToDoubles(Cpu cpu, ref DecodedInstruction d)
    {
        Vector128<int> source = cpu.XmmSource(ref d).AsInt32();
        cpu.Xmm[d.Reg0] = Vector128.Create((double)source.GetElement(0), source.GetElement(1)).AsByte();
    }

    private static void ConvertDwordsToSingles(Cpu cpu, ref DecodedInstruction d)
    {
        Vector128<int> source = cpu.XmmSource(ref d).AsInt32();
        uint mxcsr = cpu.Mxcsr;
        uint flags = 0;
        Vector128<uint> result = Vector128.Create(
            SseConversion.IntegerToSingle(source.GetElement(0), mxcsr, ref flags),
            SseConversion.IntegerToSingle(source.GetElement(1), mxcsr, ref flags),
            SseConversion.IntegerToSingle(source.GetElement(2), mxcsr, ref flags),
            SseConversion.IntegerToSingle(source.GetElement(3), mxcsr, ref flags));
        cpu.RaiseSimdFlags(flags);
        cpu.Xmm[d.Reg0] = result.AsByte();
    }

    private static void ConvertSinglesToDwords(Cpu cpu, ref DecodedInstruction d) => cpu.SinglesToDwords(ref d, truncate: false);
    private static void TruncateSinglesToDwords(Cpu cpu, ref DecodedInstruction d) => cpu.SinglesToDwords(ref d, truncate: true);

    private void SinglesToDwords(ref DecodedInstruction d, bool truncate)
    {
        Vector128<uint> source = XmmSource(ref d).AsUInt32();
        uint mxcsr = Mxcsr;
        uint flags = 0;
        Vector128<uint> result = Vector128.Create(
            (uint)SseConversion.DoubleToInteger(SseConversion.Operand<SseSingle>(source.GetElement(0), mxcsr), false, truncate, mxcsr, ref flags),
            (uint)SseConversion.DoubleToInteger(SseConversion.Operand<SseSingle>(source.GetElement(1), mxcsr), false, truncate, mxcsr, ref flags),
            (uint)SseConversion.DoubleToInteger(SseConversion.Operand<SseSingle>(source.GetElement(2), mxcsr), false, truncate, mxcsr, ref flags),
            (uint)SseConversion.DoubleToInteger(SseConversion.Operand<SseSingle>(source.GetElement(3), mxcsr), false, truncate, mxcsr, ref flags));
        RaiseSimdFlags(flags);
        Xmm[d.Reg0] = result.AsByte();
    }

    private static void ConvertDoublesToDwords(Cpu cpu, ref DecodedInstruction d) => cpu.DoublesToDwords(ref d, truncate: false);
    private static void TruncateDoublesToDwords(Cpu cpu, ref DecodedInstruction d) => cpu.DoublesToDwords(ref d, truncate: true);

    /// <summary>CVT(T)PD2DQ: two dwords in the low quadword, the high quadword zeroed.</summary>
    private void DoublesToDwords(ref DecodedInstruction d, bool truncate)
    {
        Vector128<ulong> source = XmmSource(ref d).AsUInt64();
        uint mxcsr = Mxcsr;
        uint flags = 0;
        ulong low = SseConversion.DoubleToInteger(SseConversion.Operand<SseDouble>(source.GetElement(0), mxcsr), false, truncate, mxcsr, ref flags);
        ulong high = SseConversion.DoubleToInteger(SseConversion.Operand<SseDouble>(source.GetElement(1), mxcsr), false, truncate, mxcsr, ref flags);
        RaiseSimdFlags(flags);
        Xmm[d.Reg0] = Vector128.CreateScalar(low | (high << 32)).AsByte();
    }

    /// <summary>CVTPS2PD: the two low singles, exactly.</summary>
    private static void ConvertSinglesToDoubles(Cpu cpu, ref DecodedInstruction d)
    {
        Vector128<uint> source = cpu.XmmSource(ref d).AsUInt32();
        uint flags = 0;
        ulong low = SseConversion.SingleToDouble(source.GetElement(0), cpu.Mxcsr, ref flags);
        ulong high = SseConversion.SingleToDouble(source.GetElement(1), cpu.Mxcsr, ref flags);
        cpu.RaiseSimdFlags(flags);
        cpu.Xmm[d.Reg0] = Vector128.Create(low, high).AsByte();
    }

    /// <summary>CVTPD2PS: two singles in the low quadword, the high quadword zeroed.</summary>
    private static void ConvertDoublesToSingles(Cpu cpu, ref DecodedInstruction d)
    {
        Vector128<ulong> source = cpu.XmmSource(ref d).AsUInt64();
        uint flags = 0;
        ulong low = SseConversion.DoubleToSingle(source.GetElement(0), cpu.Mxcsr, ref flags);
        ulong high = SseConversion.DoubleToSingle(source.GetElement(1), cpu.Mxcsr, ref flags);
        cpu.RaiseSimdFlags(flags);
        cpu.Xmm[d.Reg0] = Vector128.CreateScalar(low | (high << 32)).AsByte();
    }
}
