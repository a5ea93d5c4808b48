using System.Buffers.Binary;
using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// Bit instructions of the K8 (AMD64 APM vol. 3): BT, BTS, BTR, BTC, BSF, BSR, BSWAP. The K8 has neither
/// BMI1 nor ABM, so the TZCNT and LZCNT encodings (F3 0F BC/BD) execute as BSF and BSR, and POPCNT is left
/// unregistered so that it raises #UD. Flags the manual leaves undefined (all but CF for the BTx group, all
/// but ZF for BSF/BSR) are left unchanged.
/// </summary>
public sealed unsafe partial class Cpu
{
    internal static void RegisterBitOperations(HandlerTable table)
    {
        table.Add(Mnemonic.Bt, &Bt);
        table.Add(Mnemonic.Bts, &Bts);
        table.Add(Mnemonic.Btr, &Btr);
        table.Add(Mnemonic.Btc, &Btc);
        table.Add(Mnemonic.Bsf, &Bsf);
        table.Add(Mnemonic.Bsr, &Bsr);
        table.Add(Mnemonic.Tzcnt, &Bsf);
        table.Add(Mnemonic.Lzcnt, &Bsr);
        table.Add(Mnemonic.Bswap, &Bswap);
    }

    private static void Bt(Cpu cpu, ref DecodedInstruction d) => BitTest(cpu, ref d, BitUpdate.None);

    private static void Bts(Cpu cpu, ref DecodedInstruction d) => BitTest(cpu, ref d, BitUpdate.Set);

    private static void Btr(Cpu cpu, ref DecodedInstruction d) => BitTest(cpu, ref d, BitUpdate.Reset);

    private static void Btc(Cpu cpu, ref DecodedInstruction d) => BitTest(cpu, ref d, BitUpdate.Complement);

    /// <summary>What a BTx instruction does to the selected bit after copying it to CF.</summary>
    private enum BitUpdate
    {
        None,
        Set,
        Reset,
        Complement,
    }

    /// <summary>
    /// The BTx group. A register base or an immediate offset selects the bit modulo the operand width. A
    /// memory base with a register offset treats memory as a bit string: the signed offset picks the
    /// operand-sized word at <c>address + size * floor(offset / width)</c>, which may lie far outside the
    /// operand itself.
    /// </summary>
    private static void BitTest(Cpu cpu, ref DecodedInstruction d, BitUpdate update)
    {
        int size = d.Size0;
        int bits = size * 8;
        ulong offset = cpu.Read1(ref d, 0);
        ulong address = 0;
        if (d.Kind0 == OperandKind.Memory)
        {
            address = cpu.EffectiveAddress(ref d);
            if (d.Kind1 != OperandKind.Immediate)
            {
                long wordIndex = SignExtend(offset, size) >> System.Numerics.BitOperations.Log2((uint)bits);
                address += (ulong)(wordIndex * size);
            }
        }

        int bit = (int)(offset & (ulong)(bits - 1));
        ulong value = cpu.Read0(ref d, address);
        ulong mask = 1UL << bit;
        switch (update)
        {
            case BitUpdate.Set: cpu.Write0(ref d, address, value | mask); break;
            case BitUpdate.Reset: cpu.Write0(ref d, address, value & ~mask); break;
            case BitUpdate.Complement: cpu.Write0(ref d, address, value ^ mask); break;
        }

        cpu.Rflags = (cpu.Rflags & ~RFlags.CF) | ((value >> bit) & 1);
    }

    /// <summary>BSF: ZF = source is zero; then the destination is left unchanged (AMD64 APM), else gets the lowest set bit's index.</summary>
    private static void Bsf(Cpu cpu, ref DecodedInstruction d)
    {
        ulong source = cpu.Read1(ref d, cpu.AddressIfMemory(ref d));
        if (source == 0)
        {
            cpu.Rflags |= RFlags.ZF;
            return;
        }

        cpu.WriteGpr(d.Reg0, d.Size0, (ulong)System.Numerics.BitOperations.TrailingZeroCount(source));
        cpu.Rflags &= ~RFlags.ZF;
    }

    /// <summary>BSR: as <see cref="Bsf"/>, with the highest set bit.</summary>
    private static void Bsr(Cpu cpu, ref DecodedInstruction d)
    {
        ulong source = cpu.Read1(ref d, cpu.AddressIfMemory(ref d));
        if (source == 0)
        {
            cpu.Rflags |= RFlags.ZF;
            return;
        }

        cpu.WriteGpr(d.Reg0, d.Size0, (ulong)(63 - System.Numerics.BitOperations.LeadingZeroCount(source)));
        cpu.Rflags &= ~RFlags.ZF;
    }

    /// <summary>
    /// BSWAP. The 16-bit form is undefined in the manual; it clears the low word, as AMD and Intel
    /// processors do in practice.
    /// </summary>
    private static void Bswap(Cpu cpu, ref DecodedInstruction d)
    {
        ulong value = cpu.R[d.Reg0];
        ulong result = d.Size0 switch
        {
            8 => BinaryPrimitives.ReverseEndianness(value),
            4 => BinaryPrimitives.ReverseEndianness((uint)value),
            _ => 0,
        };
        cpu.WriteGpr(d.Reg0, d.Size0, result);
    }
}
