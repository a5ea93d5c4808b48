using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using KmlSim.Decoding;
using KmlSim.Interrupts;
using KmlSim.Memory;

namespace KmlSim.Execution;

/// <summary>
/// XMM operand access shared by the SSE families: 16-byte memory accesses (with the legacy-SSE alignment
/// rule), the "xmm/mem" source operand in its encoded width, and the MXCSR exception-flag update.
/// </summary>
public sealed unsafe partial class Cpu
{
    /// <summary>
    /// MXCSR bits that may be set: bits 15:0, DAZ included (what later K8 revisions report as MXCSR_MASK;
    /// whether the SledgeHammer rev. C accepts DAZ is not documented in the reference data). Anything above
    /// faults on LDMXCSR.
    /// </summary>
    internal const uint MxcsrWritableMask = 0xFFFF;

    /// <summary>Reads 16 bytes with no alignment requirement (MOVUPS, MOVDQU).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Vector128<byte> ReadXmmMemory(ulong address)
    {
        ulong low = Mmu.Read64(address);
        ulong high = Mmu.Read64(address + 8);
        return Vector128.Create(low, high).AsByte();
    }

    /// <summary>
    /// Reads 16 bytes for a legacy SSE instruction: a 128-bit memory operand that is not 16-byte aligned
    /// raises #GP(0) (AMD64 APM vol. 4, "alignment": K8 has no misaligned-SSE mode).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Vector128<byte> ReadXmmMemoryAligned(ulong address)
    {
        CheckXmmAlignment(address);
        return ReadXmmMemory(address);
    }

    /// <summary>Writes 16 bytes; both pages are checked before any byte is written, so a fault leaves memory intact.</summary>
    internal void WriteXmmMemory(ulong address, Vector128<byte> value)
    {
        if ((address & 0xFFF) > 0xFF0)
        {
            Mmu.Translate(address, AccessKind.Write, Mmu.UserMode);
            Mmu.Translate((address + 15) & ~0xFFFUL, AccessKind.Write, Mmu.UserMode); // CR2 names the second page, as for other split writes
        }

        Vector128<ulong> quads = value.AsUInt64();
        Mmu.Write64(address, quads.GetElement(0));
        Mmu.Write64(address + 8, quads.GetElement(1));
    }

    /// <summary>#GP(0) unless the address is 16-byte aligned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CheckXmmAlignment(ulong address)
    {
        if ((address & 15) != 0)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }
    }

    /// <summary>
    /// Operand 1 of an SSE instruction: an XMM register, or memory read at its encoded width (16 bytes with
    /// the alignment check, or 8/4/2 bytes zero-extended into the low lane for scalar forms).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Vector128<byte> XmmSource(ref DecodedInstruction d)
    {
        if (d.Kind1 == OperandKind.Xmm)
        {
            return Xmm[d.Reg1];
        }

        return ReadXmmMemoryOperand(ref d);
    }

    private Vector128<byte> ReadXmmMemoryOperand(ref DecodedInstruction d)
    {
        ulong address = EffectiveAddress(ref d);
        return d.MemSize switch
        {
            16 => ReadXmmMemoryAligned(address),
            8 => Vector128.CreateScalar(Mmu.Read64(address)).AsByte(),
            4 => Vector128.CreateScalar(Mmu.Read32(address)).AsByte(),
            _ => Vector128.CreateScalar(Mmu.Read16(address)).AsByte(),
        };
    }

    /// <summary>
    /// Records SIMD floating-point exception flags in MXCSR. With every raised exception masked (the Linux
    /// default) that is all; if one is unmasked the instruction raises #XF without writing its destination,
    /// which is why callers apply this before writing their result. MXCSR then holds every flag computed in
    /// every lane; hardware that meets an unmasked pre-computation exception (IE, DE, ZE) would not also
    /// report that lane's post-computation flags (OE, UE, PE).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void RaiseSimdFlags(uint flags)
    {
        if (flags == 0)
        {
            return;
        }

        Mxcsr |= flags;
        if ((flags & ~(Mxcsr >> Isa.MxcsrBits.MaskShift) & 0x3F) != 0)
        {
            throw new GuestFaultException(ExceptionVector.SimdFloatingPoint);
        }
    }

    /// <summary>
    /// Ends a scalar (SS/SD) instruction: raises the accumulated flags first (an unmasked exception leaves
    /// the destination unchanged), then merges <paramref name="result"/> into lane 0 of the destination.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void FinishScalar<TFormat>(ref DecodedInstruction d, uint flags, ulong result)
        where TFormat : ISseFormat
    {
        RaiseSimdFlags(flags);
        Xmm[d.Reg0] = TFormat.WithLane(Xmm[d.Reg0], 0, result);
    }
}
