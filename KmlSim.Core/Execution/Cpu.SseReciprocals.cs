using System.Runtime.Intrinsics;
using Iced.Intel;
using KmlSim.Decoding;

namespace KmlSim.Execution;

/// <summary>
/// RCPSS/RCPPS and RSQRTSS/RSQRTPS. The manuals promise only a relative error of at most 1.5 x 2^-12 (AMD64
/// APM vol. 4); each processor generation returns its own table's value, so the K8's exact bits are not
/// known and the host's differ by design. This model returns the correctly rounded single, which is within
/// the bound. Denormal sources count as zeros (giving infinities), results below 2^-126 are zeros, a negative
/// RSQRT source gives the QNaN indefinite, NaNs come back quiet; MXCSR is neither read nor changed.
/// </summary>
public sealed unsafe partial class Cpu
{
    private const uint SingleIndefinite = 0xFFC0_0000;

    internal static void RegisterSseReciprocals(HandlerTable table)
    {
        table.Add(Code.Rcpss_xmm_xmmm32, &ReciprocalScalar);
        table.Add(Code.Rcpps_xmm_xmmm128, &ReciprocalPacked);
        table.Add(Code.Rsqrtss_xmm_xmmm32, &ReciprocalSquareRootScalar);
        table.Add(Code.Rsqrtps_xmm_xmmm128, &ReciprocalSquareRootPacked);
    }

    private static void ReciprocalScalar(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = cpu.Xmm[d.Reg0].AsUInt32().WithElement(0, RcpLane(cpu.XmmSource(ref d).AsUInt32().ToScalar())).AsByte();

    private static void ReciprocalSquareRootScalar(Cpu cpu, ref DecodedInstruction d) =>
        cpu.Xmm[d.Reg0] = cpu.Xmm[d.Reg0].AsUInt32().WithElement(0, RsqrtLane(cpu.XmmSource(ref d).AsUInt32().ToScalar())).AsByte();

    private static void ReciprocalPacked(Cpu cpu, ref DecodedInstruction d)
    {
        Vector128<uint> source = cpu.XmmSource(ref d).AsUInt32();
        cpu.Xmm[d.Reg0] = Vector128.Create(RcpLane(source[0]), RcpLane(source[1]), RcpLane(source[2]), RcpLane(source[3])).AsByte();
    }

    private static void ReciprocalSquareRootPacked(Cpu cpu, ref DecodedInstruction d)
    {
        Vector128<uint> source = cpu.XmmSource(ref d).AsUInt32();
        cpu.Xmm[d.Reg0] = Vector128.Create(
            RsqrtLane(source[0]), RsqrtLane(source[1]), RsqrtLane(source[2]), RsqrtLane(source[3])).AsByte();
    }

    private static uint RcpLane(uint bits) => ApproximateLane(bits, static x => 1.0 / x);

    private static uint RsqrtLane(uint bits)
    {
        if ((bits & 0x8000_0000) != 0 && (bits & 0x7F80_0000) != 0 && (bits & 0x7FFF_FFFF) <= 0x7F80_0000)
        {
            return SingleIndefinite; // a negative nonzero number or -infinity
        }

        return ApproximateLane(bits, static x => 1.0 / Math.Sqrt(x));
    }

    /// <summary>One lane: NaNs quieted, denormal sources as signed zeros, the correctly rounded result, tiny results flushed.</summary>
    private static uint ApproximateLane(uint bits, Func<double, double> function)
    {
        if ((bits & 0x7F80_0000) == 0x7F80_0000 && (bits & 0x007F_FFFF) != 0)
        {
            return bits | 0x0040_0000;
        }

        if ((bits & 0x7F80_0000) == 0)
        {
            bits &= 0x8000_0000;
        }

        float result = (float)function(BitConverter.UInt32BitsToSingle(bits));
        uint resultBits = BitConverter.SingleToUInt32Bits(result);
        return (resultBits & 0x7F80_0000) == 0 ? resultBits & 0x8000_0000 : resultBits;
    }
}
