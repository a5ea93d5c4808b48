using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// String instructions: MOVS, STOS, LODS, CMPS, SCAS in byte/word/doubleword/quadword sizes, with REP,
/// REPE and REPNE (AMD64 APM vol. 3, "MOVSx" etc.). Operands are implicit: the source is [seg:rSI] (a
/// segment override applies to it only), the destination is [ES:rDI] (ES has base 0 in 64-bit mode).
/// A repeated instruction runs to completion in one handler call, but updates rSI/rDI/rCX as each element
/// completes, exactly as the processor does, so that a page fault part way leaves the registers at the
/// faulting element and re-executing the instruction resumes the copy.
/// </summary>
public sealed unsafe partial class Cpu
{
    /// <summary>Block copies of REP MOVS/STOS never cross a page, so a chunk is at most a page.</summary>
    private const int StringChunkBytes = 4096;

    internal static void RegisterStrings(HandlerTable table)
    {
        // By Code: Iced's Movsd/Cmpsd mnemonics also name the SSE instructions.
        foreach (Code code in (ReadOnlySpan<Code>)[Code.Movsb_m8_m8, Code.Movsw_m16_m16, Code.Movsd_m32_m32, Code.Movsq_m64_m64])
        {
            table.Add(code, &Movs);
        }

        foreach (Code code in (ReadOnlySpan<Code>)[Code.Stosb_m8_AL, Code.Stosw_m16_AX, Code.Stosd_m32_EAX, Code.Stosq_m64_RAX])
        {
            table.Add(code, &Stos);
        }

        foreach (Code code in (ReadOnlySpan<Code>)[Code.Lodsb_AL_m8, Code.Lodsw_AX_m16, Code.Lodsd_EAX_m32, Code.Lodsq_RAX_m64])
        {
            table.Add(code, &Lods);
        }

        foreach (Code code in (ReadOnlySpan<Code>)[Code.Cmpsb_m8_m8, Code.Cmpsw_m16_m16, Code.Cmpsd_m32_m32, Code.Cmpsq_m64_m64])
        {
            table.Add(code, &Cmps);
        }

        foreach (Code code in (ReadOnlySpan<Code>)[Code.Scasb_AL_m8, Code.Scasw_AX_m16, Code.Scasd_EAX_m32, Code.Scasq_RAX_m64])
        {
            table.Add(code, &Scas);
        }
    }

    /// <summary>True for REP (F3) or REPNE (F2): for MOVS/STOS/LODS both simply repeat.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Repeats(ref DecodedInstruction d) => (d.Prefixes & (DecodedInstruction.PrefixRep | DecodedInstruction.PrefixRepne)) != 0;

    /// <summary>The address-size-truncated value of rSI/rDI/rCX (a 0x67 prefix selects ESI/EDI/ECX).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong StringRegister(int reg, ref DecodedInstruction d) => d.AddressSize == 4 ? (uint)R[reg] : R[reg];

    /// <summary>Writes rSI/rDI/rCX at the address size (a 32-bit write zero-extends, as for any 32-bit GPR write).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SetStringRegister(int reg, ref DecodedInstruction d, ulong value) => R[reg] = d.AddressSize == 4 ? (uint)value : value;

    /// <summary>Linear address of the source element: [seg:rSI].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong StringSource(ref DecodedInstruction d)
    {
        ulong address = StringRegister((int)Gpr.Rsi, ref d);
        return d.MemSegment == 0 ? address : address + (d.MemSegment == 4 ? FsBase : GsBase);
    }

    /// <summary>The signed step of rSI/rDI per element: +size, or -size when DF is set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong StringStep(int size) => (Rflags & RFlags.DF) == 0 ? (ulong)size : (ulong)-size;

    /// <summary>Advances a string pointer register by <paramref name="delta"/> bytes (wrapping at the address size).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AdvanceString(int reg, ref DecodedInstruction d, ulong delta) => SetStringRegister(reg, ref d, R[reg] + delta);

    private static void Movs(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.MemSize;
        ulong step = cpu.StringStep(size);
        if (!Repeats(ref d))
        {
            cpu.Mmu.Write(cpu.StringRegister((int)Gpr.Rdi, ref d), cpu.Mmu.Read(cpu.StringSource(ref d), size), size);
            cpu.AdvanceString((int)Gpr.Rsi, ref d, step);
            cpu.AdvanceString((int)Gpr.Rdi, ref d, step);
            return;
        }

        ulong count = cpu.StringRegister((int)Gpr.Rcx, ref d);
        if (count == 0)
        {
            return;
        }

        Span<byte> buffer = stackalloc byte[StringChunkBytes];
        while (count != 0)
        {
            ulong source = cpu.StringSource(ref d);
            ulong destination = cpu.StringRegister((int)Gpr.Rdi, ref d);
            ulong elements = cpu.MovsChunkElements(ref d, source, destination, size, count);
            if (elements > 1)
            {
                // One page-bounded chunk: both accesses translate before any byte is written, so a fault
                // leaves memory and registers as they were after the previous chunk.
                Span<byte> chunk = buffer[..(int)(elements * (ulong)size)];
                cpu.Mmu.ReadBytes(source, chunk);
                cpu.Mmu.WriteBytes(destination, chunk);
            }
            else
            {
                elements = 1;
                cpu.Mmu.Write(destination, cpu.Mmu.Read(source, size), size);
            }

            cpu.AdvanceString((int)Gpr.Rsi, ref d, step * elements);
            cpu.AdvanceString((int)Gpr.Rdi, ref d, step * elements);
            count -= elements;
            cpu.SetStringRegister((int)Gpr.Rcx, ref d, count);
        }
    }

    /// <summary>
    /// How many MOVS elements can be copied as one block with the same result as element-by-element
    /// forward copying: forward direction, 64-bit addressing, neither side crossing a page, and, when the
    /// destination lies above the source, no element reading bytes an earlier element of the block wrote
    /// (a destination 1..n bytes above the source replicates a pattern, which a block copy would not).
    /// 0 or 1 means "copy one element".
    /// </summary>
    private ulong MovsChunkElements(ref DecodedInstruction d, ulong source, ulong destination, int size, ulong count)
    {
        if ((Rflags & RFlags.DF) != 0 || d.AddressSize != 8)
        {
            return 1;
        }

        ulong bytes = Math.Min(StringChunkBytes - (source & 0xFFF), StringChunkBytes - (destination & 0xFFF));
        ulong distance = destination - source;
        if (destination > source && distance < bytes)
        {
            bytes = distance;
        }

        return Math.Min(count, bytes / (ulong)size);
    }

    private static void Stos(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.MemSize;
        ulong value = cpu.R[(int)Gpr.Rax] & SizeMask(size);
        ulong step = cpu.StringStep(size);
        if (!Repeats(ref d))
        {
            cpu.Mmu.Write(cpu.StringRegister((int)Gpr.Rdi, ref d), value, size);
            cpu.AdvanceString((int)Gpr.Rdi, ref d, step);
            return;
        }

        ulong count = cpu.StringRegister((int)Gpr.Rcx, ref d);
        if (count == 0)
        {
            return;
        }

        Span<byte> pattern = stackalloc byte[StringChunkBytes];
        FillPattern(pattern, value, size);
        bool blocks = (cpu.Rflags & RFlags.DF) == 0 && d.AddressSize == 8;
        while (count != 0)
        {
            ulong destination = cpu.StringRegister((int)Gpr.Rdi, ref d);
            ulong elements = blocks ? Math.Min(count, (StringChunkBytes - (destination & 0xFFF)) / (ulong)size) : 1;
            if (elements > 1)
            {
                // The pattern starts with a whole element, so any prefix of it is the right bytes.
                cpu.Mmu.WriteBytes(destination, pattern[..(int)(elements * (ulong)size)]);
            }
            else
            {
                elements = 1;
                cpu.Mmu.Write(destination, value, size);
            }

            cpu.AdvanceString((int)Gpr.Rdi, ref d, step * elements);
            count -= elements;
            cpu.SetStringRegister((int)Gpr.Rcx, ref d, count);
        }
    }

    /// <summary>Fills a buffer with repeated little-endian copies of an element value.</summary>
    private static void FillPattern(Span<byte> buffer, ulong value, int size)
    {
        switch (size)
        {
            case 1: buffer.Fill((byte)value); break;
            case 2: MemoryMarshal.Cast<byte, ushort>(buffer).Fill((ushort)value); break;
            case 4: MemoryMarshal.Cast<byte, uint>(buffer).Fill((uint)value); break;
            default: MemoryMarshal.Cast<byte, ulong>(buffer).Fill(value); break;
        }
    }

    private static void Lods(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.MemSize;
        ulong step = cpu.StringStep(size);
        bool repeats = Repeats(ref d);
        ulong count = repeats ? cpu.StringRegister((int)Gpr.Rcx, ref d) : 1;
        while (count != 0)
        {
            cpu.WriteGpr((int)Gpr.Rax, size, cpu.Mmu.Read(cpu.StringSource(ref d), size));
            cpu.AdvanceString((int)Gpr.Rsi, ref d, step);
            cpu.CountElement(ref d, repeats, ref count);
        }
    }

    private static void Cmps(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.MemSize;
        ulong step = cpu.StringStep(size);
        bool repeats = Repeats(ref d);
        ulong count = repeats ? cpu.StringRegister((int)Gpr.Rcx, ref d) : 1;
        while (count != 0)
        {
            // CMPS subtracts the destination [rDI] from the source [rSI].
            ulong left = cpu.Mmu.Read(cpu.StringSource(ref d), size);
            ulong right = cpu.Mmu.Read(cpu.StringRegister((int)Gpr.Rdi, ref d), size);
            cpu.FlagsSub(left, right, left - right, size);
            cpu.AdvanceString((int)Gpr.Rsi, ref d, step);
            cpu.AdvanceString((int)Gpr.Rdi, ref d, step);
            if (cpu.CountElement(ref d, repeats, ref count) && cpu.RepeatConditionEnds(ref d))
            {
                return;
            }
        }
    }

    private static void Scas(Cpu cpu, ref DecodedInstruction d)
    {
        int size = d.MemSize;
        ulong step = cpu.StringStep(size);
        ulong accumulator = cpu.R[(int)Gpr.Rax] & SizeMask(size);
        bool repeats = Repeats(ref d);
        ulong count = repeats ? cpu.StringRegister((int)Gpr.Rcx, ref d) : 1;
        while (count != 0)
        {
            ulong element = cpu.Mmu.Read(cpu.StringRegister((int)Gpr.Rdi, ref d), size);
            cpu.FlagsSub(accumulator, element, accumulator - element, size);
            cpu.AdvanceString((int)Gpr.Rdi, ref d, step);
            if (cpu.CountElement(ref d, repeats, ref count) && cpu.RepeatConditionEnds(ref d))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Counts one element of LODS/CMPS/SCAS done: rCX is decremented with it when the instruction repeats
    /// (so a fault on the next element leaves the registers at that element). Returns whether it repeats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool CountElement(ref DecodedInstruction d, bool repeats, ref ulong count)
    {
        count--;
        if (repeats)
        {
            SetStringRegister((int)Gpr.Rcx, ref d, count);
        }

        return repeats;
    }

    /// <summary>REPE stops when ZF is clear (a mismatch), REPNE when ZF is set (a match).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool RepeatConditionEnds(ref DecodedInstruction d)
    {
        bool zero = (Rflags & RFlags.ZF) != 0;
        return (d.Prefixes & DecodedInstruction.PrefixRepne) != 0 ? zero : !zero;
    }
}
