using Iced.Intel;

namespace KmlSim.Tests.Native;

/// <summary>Turns generated instructions into bytes (Iced's encoder or assembler) and back into text.</summary>
internal static class InstructionEncoding
{
    /// <summary>The Iced code named by a pattern with <c>{0}</c> standing for the operand width in bits, e.g. <c>Shl_rm{0}_CL</c>.</summary>
    public static Code CodeFor(string pattern, int size) => Enum.Parse<Code>(string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, size * 8));

    /// <summary>Encodes <paramref name="code"/> with the given operands (registers, memory, immediates).</summary>
    public static byte[] Encode(Code code, params TestOperand[] operands) => Encode(Create(code, operands));

    public static byte[] Encode(Instruction instruction)
    {
        var writer = new BufferCodeWriter();
        var encoder = Encoder.Create(64, writer);
        if (!encoder.TryEncode(instruction, 0, out _, out string? error))
        {
            throw new InvalidOperationException($"cannot encode {instruction.Code}: {error}");
        }

        return writer.Bytes.ToArray();
    }

    /// <summary>Assembles with Iced's <see cref="Assembler"/> (the code must not be RIP-relative: it runs at two addresses).</summary>
    public static byte[] Assemble(Action<Assembler> build)
    {
        var assembler = new Assembler(64);
        build(assembler);
        var writer = new BufferCodeWriter();
        assembler.Assemble(writer, 0);
        return writer.Bytes.ToArray();
    }

    public static string Disassemble(byte[] code)
    {
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code));
        decoder.Decode(out Instruction instruction);
        var output = new StringOutput();
        new NasmFormatter().Format(instruction, output);
        return $"{output} [{Convert.ToHexString(code)}]";
    }

    private static Instruction Create(Code code, TestOperand[] o)
    {
        static bool R(TestOperand x) => x.Kind == TestOperandKind.Register;
        static bool M(TestOperand x) => x.Kind == TestOperandKind.Memory;
        static bool I(TestOperand x) => x.Kind == TestOperandKind.Immediate;
        return o.Length switch
        {
            0 => Instruction.Create(code),
            1 when R(o[0]) => Instruction.Create(code, o[0].Register),
            1 when M(o[0]) => Instruction.Create(code, o[0].IcedMemory),
            2 when R(o[0]) && R(o[1]) => Instruction.Create(code, o[0].Register, o[1].Register),
            2 when R(o[0]) && M(o[1]) => Instruction.Create(code, o[0].Register, o[1].IcedMemory),
            2 when M(o[0]) && R(o[1]) => Instruction.Create(code, o[0].IcedMemory, o[1].Register),
            2 when R(o[0]) && I(o[1]) => Instruction.Create(code, o[0].Register, o[1].Immediate),
            2 when M(o[0]) && I(o[1]) => Instruction.Create(code, o[0].IcedMemory, (int)o[1].Immediate),
            3 when R(o[0]) && R(o[1]) && I(o[2]) => Instruction.Create(code, o[0].Register, o[1].Register, (int)o[2].Immediate),
            3 when R(o[0]) && M(o[1]) && I(o[2]) => Instruction.Create(code, o[0].Register, o[1].IcedMemory, (int)o[2].Immediate),
            3 when M(o[0]) && R(o[1]) && I(o[2]) => Instruction.Create(code, o[0].IcedMemory, o[1].Register, (int)o[2].Immediate),
            3 when R(o[0]) && R(o[1]) && R(o[2]) => Instruction.Create(code, o[0].Register, o[1].Register, o[2].Register),
            3 when M(o[0]) && R(o[1]) && R(o[2]) => Instruction.Create(code, o[0].IcedMemory, o[1].Register, o[2].Register),
            _ => throw new ArgumentException($"no operand combination for {code}", nameof(o)),
        };
    }
}
