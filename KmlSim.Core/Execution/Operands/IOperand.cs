using KmlSim.Decoding;

namespace KmlSim.Execution.Operands;

/// <summary>
/// One operand of a specialised handler, resolved at compile time: the JIT instantiates a handler per
/// combination of operand structs, so the per-instruction switches over operand kind and size of the
/// generic path disappear for the most frequent instruction forms.
/// </summary>
internal interface IOperand
{
    /// <summary>True when the operand is the instruction's memory operand.</summary>
    static abstract bool IsMemory { get; }

    /// <summary>The linear address of a memory operand (0 for other operands).</summary>
    static abstract ulong Address(Cpu cpu, ref DecodedInstruction d);

    /// <summary>Reads the operand, zero-extended.</summary>
    static abstract ulong Read(Cpu cpu, ref DecodedInstruction d, ulong address);

    /// <summary>Writes the operand (32-bit register writes zero-extend, 8/16-bit ones merge).</summary>
    static abstract void Write(Cpu cpu, ref DecodedInstruction d, ulong address, ulong value);
}
