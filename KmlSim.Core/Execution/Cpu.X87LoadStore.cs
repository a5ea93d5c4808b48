using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Execution.Operands;

namespace KmlSim.Execution;

/// <summary>x87 loads, stores, constants, exchanges and conditional moves.</summary>
public sealed unsafe partial class Cpu
{
    /// <summary>
    /// The constants of FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2 to 128 bits (exponent relative to the bias,
    /// then the significand's two halves), rounded to 64 bits under RC as the hardware does since the 387.
    /// </summary>
    private static readonly (int Exponent, ulong High, ulong Low)[] X87Constants =
    [
        (1, 0xD49A784BCD1B8AFE, 0x492BF6FF4DAFDB4C), // log2(10)
        (0, 0xB8AA3B295C17F0BB, 0xBE87FED0691D3E88), // log2(e)
        (1, 0xC90FDAA22168C234, 0xC4C6628B80DC1CD1), // pi
        (-2, 0x9A209A84FBCFF798, 0x8F8959AC0B7C9178), // log10(2)
        (-1, 0xB17217F7D1CF79AB, 0xC9E3B39803F2F6AF), // ln(2)
    ];

    private static void RegisterX87LoadStore(HandlerTable table)
    {
        table.Add(Mnemonic.Fld, &Fld);
        table.Add(Mnemonic.Fst, &Fst);
        table.Add(Mnemonic.Fstp, &Fstp);
        table.Add(Mnemonic.Fstpnce, &Fstp);
        table.Add(Mnemonic.Fild, &Fild);
        table.Add(Mnemonic.Fist, &Fist);
        table.Add(Mnemonic.Fistp, &Fistp);
        table.Add(Mnemonic.Fxch, &Fxch);
        table.Add(Mnemonic.Fld1, &Fld1);
        table.Add(Mnemonic.Fldz, &Fldz);
        table.Add(Mnemonic.Fldl2t, &Fldl2t);
        table.Add(Mnemonic.Fldl2e, &Fldl2e);
        table.Add(Mnemonic.Fldpi, &Fldpi);
        table.Add(Mnemonic.Fldlg2, &Fldlg2);
        table.Add(Mnemonic.Fldln2, &Fldln2);

        // Iced reports no ConditionCode for FCMOVcc, so each mnemonic carries its condition in its handler.
        table.Add(Mnemonic.Fcmovb, &Fcmov<BelowCondition>);
        table.Add(Mnemonic.Fcmove, &Fcmov<EqualCondition>);
        table.Add(Mnemonic.Fcmovbe, &Fcmov<BelowOrEqualCondition>);
        table.Add(Mnemonic.Fcmovu, &Fcmov<ParityCondition>);
        table.Add(Mnemonic.Fcmovnb, &Fcmov<AboveOrEqualCondition>);
        table.Add(Mnemonic.Fcmovne, &Fcmov<NotEqualCondition>);
        table.Add(Mnemonic.Fcmovnbe, &Fcmov<AboveCondition>);
        table.Add(Mnemonic.Fcmovnu, &Fcmov<NotParityCondition>);

        // FISTTP is SSE3: the K8 (Opteron 850) does not have it, so it stays unregistered (#UD).
    }

    /// <summary>Loads a real memory operand (m32, m64 or m80) into the extended format.</summary>
    private Float80 LoadReal(ref DecodedInstruction d, ref FpuExceptions flags)
    {
        ulong address = EffectiveAddress(ref d);
        return d.MemSize switch
        {
            4 => Float80Math.FromSingle(Mmu.Read32(address), ref flags),
            8 => Float80Math.FromDouble(Mmu.Read64(address), ref flags),
            _ => new Float80(Mmu.Read16(address + 8), Mmu.Read64(address)),
        };
    }

    /// <summary>Loads an integer memory operand (m16, m32 or m64), exactly.</summary>
    private Float80 LoadInteger(ref DecodedInstruction d)
    {
        ulong address = EffectiveAddress(ref d);
        return Float80.FromInt64(d.MemSize switch
        {
            2 => (short)Mmu.Read16(address),
            4 => (int)Mmu.Read32(address),
            _ => (long)Mmu.Read64(address),
        });
    }

    /// <summary>Stores an m80, touching its first and last bytes first so that a fault on either page writes nothing.</summary>
    private void StoreExtended(ulong address, Float80 value)
    {
        Mmu.Write8(address, (byte)value.Significand);
        Mmu.Write8(address + 9, (byte)(value.SignExponent >> 8));
        Mmu.Write64(address, value.Significand);
        Mmu.Write16(address + 8, value.SignExponent);
    }

    private static void Fld(Cpu cpu, ref DecodedInstruction d)
    {
        var flags = FpuExceptions.None;
        Float80 value = d.Kind0 == OperandKind.X87 ? cpu.ReadSt(d.Reg0, ref flags) : cpu.LoadReal(ref d, ref flags);
        cpu.X87Push(value, ref flags);
        cpu.X87Commit(flags);
    }

    private static void Fst(Cpu cpu, ref DecodedInstruction d) => cpu.StoreTop(ref d);

    private static void Fstp(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.StoreTop(ref d);
        cpu.X87Pop();
    }

    /// <summary>FST/FSTP: ST(0) to ST(i) (exact) or to memory, narrowed under RC for m32/m64 (m80 is stored as is).</summary>
    private void StoreTop(ref DecodedInstruction d)
    {
        var flags = FpuExceptions.None;
        Float80 value = ReadSt(0, ref flags);
        if (d.Kind0 == OperandKind.X87)
        {
            WriteSt(d.Reg0, value);
        }
        else
        {
            ulong address = EffectiveAddress(ref d);
            switch (d.MemSize)
            {
                case 4: Mmu.Write32(address, Float80Math.ToSingle(value, X87Rounding, ref flags)); break;
                case 8: Mmu.Write64(address, Float80Math.ToDouble(value, X87Rounding, ref flags)); break;
                default: StoreExtended(address, value); break;
            }
        }

        X87Commit(flags);
    }

    private static void Fild(Cpu cpu, ref DecodedInstruction d) => cpu.PushValue(cpu.LoadInteger(ref d));

    private static void Fist(Cpu cpu, ref DecodedInstruction d) => cpu.StoreInteger(ref d);

    private static void Fistp(Cpu cpu, ref DecodedInstruction d)
    {
        cpu.StoreInteger(ref d);
        cpu.X87Pop();
    }

    /// <summary>FIST/FISTP: ST(0) rounded under RC to m16/m32/m64; out of range gives the integer indefinite.</summary>
    private void StoreInteger(ref DecodedInstruction d)
    {
        var flags = FpuExceptions.None;
        Float80 value = ReadSt(0, ref flags);
        ulong integer = StackFaulted(flags) ? 1UL << ((d.MemSize * 8) - 1) : Float80Math.ToInteger(value, d.MemSize * 8, X87Rounding, ref flags);
        Mmu.Write(EffectiveAddress(ref d), integer, d.MemSize);
        X87Commit(flags);
    }

    private static void Fxch(Cpu cpu, ref DecodedInstruction d)
    {
        int other = d.OpCount > 1 ? d.Reg1 : 1;
        var flags = FpuExceptions.None;
        Float80 top = cpu.ReadSt(0, ref flags);
        Float80 value = cpu.ReadSt(other, ref flags);
        cpu.WriteSt(0, value);
        cpu.WriteSt(other, top);
        cpu.X87Commit(flags);
    }

    private static void Fld1(Cpu cpu, ref DecodedInstruction d) => cpu.PushValue(new Float80(false, Float80.Bias, Float80.IntegerBit));

    private static void Fldz(Cpu cpu, ref DecodedInstruction d) => cpu.PushValue(Float80.Zero(false));

    private static void Fldl2t(Cpu cpu, ref DecodedInstruction d) => cpu.PushRoundedConstant(0);

    private static void Fldl2e(Cpu cpu, ref DecodedInstruction d) => cpu.PushRoundedConstant(1);

    private static void Fldpi(Cpu cpu, ref DecodedInstruction d) => cpu.PushRoundedConstant(2);

    private static void Fldlg2(Cpu cpu, ref DecodedInstruction d) => cpu.PushRoundedConstant(3);

    private static void Fldln2(Cpu cpu, ref DecodedInstruction d) => cpu.PushRoundedConstant(4);

    /// <summary>Pushes a transcendental constant rounded under RC (the constant loads report no precision exception).</summary>
    private void PushRoundedConstant(int index)
    {
        (int exponent, ulong high, ulong low) = X87Constants[index];
        var ignored = FpuExceptions.None;
        PushValue(Float80Math.RoundPack(false, Float80.Bias + exponent, high, low, 64, X87Rounding, ref ignored));
    }

    /// <summary>Pushes a value that raised no exception of its own (a constant or an integer, exact in 64 bits).</summary>
    private void PushValue(Float80 value)
    {
        var flags = FpuExceptions.None;
        X87Push(value, ref flags);
        X87Commit(flags);
    }

    private static void Fcmov<TCondition>(Cpu cpu, ref DecodedInstruction d)
        where TCondition : IConditionCode
    {
        var flags = FpuExceptions.None;
        Float80 source = cpu.ReadSt(d.Reg1, ref flags);
        cpu.ReadSt(0, ref flags);
        if (StackFaulted(flags))
        {
            cpu.WriteSt(0, Float80.Indefinite);
        }
        else if (cpu.Condition(TCondition.Code))
        {
            cpu.WriteSt(0, source);
        }

        cpu.X87Commit(flags);
    }
}
