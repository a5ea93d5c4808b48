using Iced.Intel;

namespace KmlSim.Tests.Native;

/// <summary>Collects the bytes Iced's encoder or assembler writes.</summary>
internal sealed class BufferCodeWriter : CodeWriter
{
    public List<byte> Bytes { get; } = new();

    public override void WriteByte(byte value) => Bytes.Add(value);
}
