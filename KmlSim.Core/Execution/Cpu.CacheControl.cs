using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Memory;

namespace KmlSim.Execution;

/// <summary>CLFLUSH (CPUID leaf 1 EDX bit 19).</summary>
public sealed unsafe partial class Cpu
{
    internal static void RegisterCacheControl(HandlerTable table) => table.Add(Code.Clflush_m8, &Clflush);

    /// <summary>
    /// CLFLUSH m8: the line leaves every cache, which the functional model does not hold; what remains
    /// architecturally is the address check, made like a byte load's (AMD64 APM vol. 3: #PF as for a read).
    /// </summary>
    private static void Clflush(Cpu cpu, ref DecodedInstruction d) => cpu.Mmu.Translate(cpu.EffectiveAddress(ref d), AccessKind.Read, cpu.Mmu.UserMode);
}
