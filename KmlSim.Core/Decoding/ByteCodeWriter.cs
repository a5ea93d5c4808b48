using Iced.Intel;

namespace KmlSim.Decoding;

/// <summary>Collects the bytes Iced's assembler emits (test snippets, the kernel's entry code).</summary>
internal sealed class ByteCodeWriter : CodeWriter
{
    private readonly List<byte> bytes = new();

    /// <inheritdoc/>
    public override void WriteByte(byte value) => bytes.Add(value);

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray() => bytes.ToArray();
}
