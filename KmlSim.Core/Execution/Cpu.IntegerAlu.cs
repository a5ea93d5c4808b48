using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Isa;

namespace KmlSim.Execution;

/// <summary>
/// Integer arithmetic and logic: ADD, ADC, SUB, SBB, CMP, AND, OR, XOR, TEST, INC, DEC, NEG, NOT.
/// Every handler reads its operands first and writes last, so a faulting store leaves state untouched.
/// LOCK needs no work: the machine has one CPU and an instruction is atomic by construction.
/// </summary>
public sealed unsafe partial class Cpu
{
    internal static void RegisterIntegerAlu(HandlerTable table)
    {
        table.Add(Mnemonic.Add, &Add);
        table.Add(Mnemonic.Adc, &Adc);
        table.Add(Mnemonic.Sub, &Sub);
        table.Add(Mnemonic.Sbb, &Sbb);
        table.Add(Mnemonic.Cmp, &Cmp);
        table.Add(Mnemonic.And, &And);
        table.Add(Mnemonic.Or, &Or);
        table.Add(Mnemonic.Xor, &Xor);
        table.Add(Mnemonic.Test, &Test);
        table.Add(Mnemonic.Inc, &Inc);
        table.Add(Mnemonic.Dec, &Dec);
        table.Add(Mnemonic.Neg, &Neg);
        table.Add(Mnemonic.Not, &Not);
    }

    private static void Add(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        ulong a = cpu.Read0(ref d, address), b = cpu.Read1(ref d, address);
        ulong result = a + b;
        cpu.Write0(ref d, address, result);
        cpu.FlagsAdd(a, b, result, d.Size0);
    }

    private static void Adc(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        ulong a = cpu.Read0(ref d, address), b = cpu.Read1(ref d, address);
        ulong result = a + b + cpu.CarryFlag();
        cpu.Write0(ref d, address, result);
        cpu.FlagsAdd(a, b, result, d.Size0);
    }

    private static void Sub(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        ulong a = cpu.Read0(ref d, address), b = cpu.Read1(ref d, address);
        ulong result = a - b;
        cpu.Write0(ref d, address, result);
        cpu.FlagsSub(a, b, result, d.Size0);
    }

    private static void Sbb(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        ulong a = cpu.Read0(ref d, address), b = cpu.Read1(ref d, address);
        ulong result = a - b - cpu.CarryFlag();
        cpu.Write0(ref d, address, result);
        cpu.FlagsSubWithBorrow(a, b, result, d.Size0);
    }

    private static void Cmp(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        ulong a = cpu.Read0(ref d, address), b = cpu.Read1(ref d, address);
        cpu.FlagsSub(a, b, a - b, d.Size0);
    }

    private static void And(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        ulong result = cpu.Read0(ref d, address) & cpu.Read1(ref d, address);
        cpu.Write0(ref d, address, result);
        cpu.FlagsLogic(result, d.Size0);
    }

    private static void Or(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        ulong result = cpu.Read0(ref d, address) | cpu.Read1(ref d, address);
        cpu.Write0(ref d, address, result);
        cpu.FlagsLogic(result, d.Size0);
    }

    private static void Xor(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        ulong result = cpu.Read0(ref d, address) ^ cpu.Read1(ref d, address);
        cpu.Write0(ref d, address, result);
        cpu.FlagsLogic(result, d.Size0);
    }

    private static void Test(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        cpu.FlagsLogic(cpu.Read0(ref d, address) & cpu.Read1(ref d, address), d.Size0);
    }

    private static void Inc(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        ulong a = cpu.Read0(ref d, address);
        ulong result = a + 1;
        cpu.Write0(ref d, address, result);
        cpu.FlagsIncDec(a, result, d.Size0, decrement: false);
    }

    private static void Dec(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        ulong a = cpu.Read0(ref d, address);
        ulong result = a - 1;
        cpu.Write0(ref d, address, result);
        cpu.FlagsIncDec(a, result, d.Size0, decrement: true);
    }

    private static void Neg(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        ulong b = cpu.Read0(ref d, address);
        ulong result = 0 - b;
        cpu.Write0(ref d, address, result);
        cpu.FlagsSub(0, b, result, d.Size0); // CF = (operand != 0) falls out of the borrow formula
    }

    private static void Not(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.AddressIfMemory(ref d);
        cpu.Write0(ref d, address, ~cpu.Read0(ref d, address));
    }
}
