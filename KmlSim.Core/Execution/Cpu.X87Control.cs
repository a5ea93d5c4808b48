using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Memory;

namespace KmlSim.Execution;

/// <summary>x87 control: initialisation, control and status words, the environment, tags and the stack pointer.</summary>
public sealed unsafe partial class Cpu
{
    /// <summary>Size of the 32-bit-format x87 environment that FNSTENV/FLDENV use in 64-bit mode.</summary>
    private const int X87EnvironmentBytes = 28;

    /// <summary>The 16-bit-format environment (operand-size prefix): FCW, FSW, FTW and four pointer words.</summary>
    private const int X87EnvironmentBytes16 = 14;

    private static void RegisterX87Control(HandlerTable table)
    {
        table.Add(Mnemonic.Fninit, &Fninit);
        table.Add(Mnemonic.Finit, &Fninit);
        table.Add(Mnemonic.Fnclex, &Fnclex);
        table.Add(Mnemonic.Fclex, &Fnclex);
        table.Add(Mnemonic.Fnstcw, &Fnstcw);
        table.Add(Mnemonic.Fstcw, &Fnstcw);
        table.Add(Mnemonic.Fldcw, &Fldcw);
        table.Add(Mnemonic.Fnstsw, &Fnstsw);
        table.Add(Mnemonic.Fstsw, &Fnstsw);
        table.Add(Code.Fnstenv_m28byte, &Fnstenv);
        table.Add(Code.Fstenv_m28byte, &Fnstenv);
        table.Add(Code.Fldenv_m28byte, &Fldenv);
        // FNENI, FNDISI and FNSETPM mattered to the 8087 and 287; since the 387 they execute as FNOP.
        table.Add(Code.Fneni, &X87NoOperation);
        table.Add(Code.Fndisi, &X87NoOperation);
        table.Add(Code.Fnsetpm, &X87NoOperation);
        table.Add(Code.Fnstenv_m14byte, &Fnstenv);
        table.Add(Code.Fstenv_m14byte, &Fnstenv);
        table.Add(Code.Fldenv_m14byte, &Fldenv);
        table.Add(Mnemonic.Ffree, &Ffree);
        table.Add(Mnemonic.Ffreep, &Ffreep);
        table.Add(Mnemonic.Fincstp, &Fincstp);
        table.Add(Mnemonic.Fdecstp, &Fdecstp);
        table.Add(Mnemonic.Fnop, &X87NoOperation);
        table.Add(Mnemonic.Wait, &X87NoOperation);
    }

    private static void Fninit(Cpu cpu, ref DecodedInstruction d) => cpu.ResetX87();

    /// <summary>FNCLEX: clears the exception flags, SF, ES and B; the condition codes and TOP stay.</summary>
    private static void Fnclex(Cpu cpu, ref DecodedInstruction d) => cpu.Fsw &= unchecked((ushort)~0x80FF);

    private static void Fnstcw(Cpu cpu, ref DecodedInstruction d) => cpu.Mmu.Write16(cpu.EffectiveAddress(ref d), cpu.Fcw);

    /// <summary>FLDCW: bit 6 is reserved and reads as 1, bits 13-15 as 0.</summary>
    private static void Fldcw(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.Fcw = (ushort)((cpu.Mmu.Read16(cpu.EffectiveAddress(ref d)) & 0x1F3F) | 0x40);
        cpu.X87ExceptionsChanged();
    }

    private static void Fnstsw(Cpu cpu, ref DecodedInstruction d)
    {
        if (d.Kind0 == OperandKind.Gpr)
        {
            cpu.WriteGpr(0, 2, cpu.FpuStatusWord);
        }
        else
        {
            cpu.Mmu.Write16(cpu.EffectiveAddress(ref d), cpu.FpuStatusWord);
        }
    }

    /// <summary>The full tag word: per physical register 00 valid, 01 zero, 10 special (NaN, infinity, denormal, unsupported), 11 empty.</summary>
    private ushort X87TagWord()
    {
        int tags = 0;
        for (int p = 0; p < 8; p++)
        {
            Float80 value = Fpr[p];
            int tag = ((FpuEmpty >> p) & 1) != 0 ? 3
                : value.IsZero ? 1
                : value.Exponent == 0 || value.Exponent == Float80.MaxExponent || value.IsUnsupported ? 2
                : 0;
            tags |= tag << (2 * p);
        }

        return (ushort)tags;
    }

    /// <summary>
    /// FNSTENV m28 or m14: the environment image (see <see cref="StoreX87Environment"/>); afterwards all exceptions
    /// are masked (the architectural side effect that feholdexcept relies on).
    /// </summary>
    private static void Fnstenv(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.EffectiveAddress(ref d);
        Span<byte> environment = stackalloc byte[d.MemSize];
        cpu.StoreX87Environment(environment);
        cpu.WriteBytesAtomically(address, environment, d.MemSize);
        cpu.Fcw |= 0x3F;
    }

    /// <summary>FLDENV m28 or m14: loads FCW, FSW (with TOP) and the tags (only empty versus not empty matters here).</summary>
    private static void Fldenv(Cpu cpu, ref DecodedInstruction d)
    {
        Span<byte> environment = stackalloc byte[d.MemSize];
        cpu.Mmu.ReadBytes(cpu.EffectiveAddress(ref d), environment);
        cpu.LoadX87Environment(environment);
    }

    /// <summary>
    /// The environment of FNSTENV/FNSAVE, in the format its length names. The 32-bit format: FCW, FSW, FTW,
    /// then the instruction and operand pointers (not tracked: stored as 0); the unused upper halves of the
    /// FCW, FSW, FTW and operand-selector doublewords read as ones, as on the host. The 16-bit format (an
    /// operand-size prefix, 14 bytes): the same words with no padding, then four zero pointer words.
    /// </summary>
    private void StoreX87Environment(Span<byte> environment)
    {
        if (environment.Length == X87EnvironmentBytes16)
        {
            BitConverter.TryWriteBytes(environment, Fcw);
            BitConverter.TryWriteBytes(environment[2..], FpuStatusWord);
            BitConverter.TryWriteBytes(environment[4..], X87TagWord());
            environment[6..].Clear();
            return;
        }

        BitConverter.TryWriteBytes(environment, 0xFFFF0000u | Fcw);
        BitConverter.TryWriteBytes(environment[4..], 0xFFFF0000u | FpuStatusWord);
        BitConverter.TryWriteBytes(environment[8..], 0xFFFF0000u | X87TagWord());
        environment[12..24].Clear();
        BitConverter.TryWriteBytes(environment[24..], 0xFFFF0000u);
    }

    /// <summary>Loads FCW, FSW (with TOP) and the tag word of an environment, 32- or 16-bit format by its length (FLDENV, FRSTOR).</summary>
    private void LoadX87Environment(ReadOnlySpan<byte> environment)
    {
        int word = environment.Length == X87EnvironmentBytes16 ? 2 : 4;
        ushort status = BitConverter.ToUInt16(environment[word..]);
        ushort tags = BitConverter.ToUInt16(environment[(2 * word)..]);
        Fcw = (ushort)((BitConverter.ToUInt16(environment) & 0x1F3F) | 0x40);
        Fsw = (ushort)(status & ~(7 << StatusTopShift));
        FpuTop = (status >> StatusTopShift) & 7;
        X87ExceptionsChanged();
        byte empty = 0;
        for (int p = 0; p < 8; p++)
        {
            if (((tags >> (2 * p)) & 3) == 3)
            {
                empty |= (byte)(1 << p);
            }
        }

        FpuEmpty = empty;
    }

    /// <summary>Writes a state image after <see cref="ProbeWrite"/> of its operand, so a fault writes nothing.</summary>
    private void WriteBytesAtomically(ulong address, ReadOnlySpan<byte> bytes, int operandBytes)
    {
        ProbeWrite(address, operandBytes);
        Mmu.WriteBytes(address, bytes);
    }

    /// <summary>
    /// Checks that a memory operand of at most two pages is writable: its first byte, then the start of its
    /// second page if it crosses (so CR2 names that page, as for other split writes).
    /// </summary>
    private void ProbeWrite(ulong address, int length)
    {
        Mmu.Translate(address, AccessKind.Write, Mmu.UserMode);
        ulong lastPage = (address + (ulong)length - 1) & ~0xFFFUL;
        if (lastPage != (address & ~0xFFFUL))
        {
            Mmu.Translate(lastPage, AccessKind.Write, Mmu.UserMode);
        }
    }

    private static void Ffree(Cpu cpu, ref DecodedInstruction d) => cpu.FpuEmpty |= (byte)(1 << cpu.PhysicalRegister(d.Reg0));

    private static void Ffreep(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.FpuEmpty |= (byte)(1 << cpu.PhysicalRegister(d.Reg0));
        cpu.X87Pop();
    }

    private static void Fincstp(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.FpuTop = (cpu.FpuTop + 1) & 7;
        cpu.Fsw &= unchecked((ushort)~StatusC1);
    }

    private static void Fdecstp(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.FpuTop = (cpu.FpuTop - 1) & 7;
        cpu.Fsw &= unchecked((ushort)~StatusC1);
    }

    /// <summary>FNOP, and FWAIT: with every exception handled by its masked response there is never a pending #MF.</summary>
    private static void X87NoOperation(Cpu cpu, ref DecodedInstruction d)
    {
    }
}
