using System.Runtime.Intrinsics;
using Iced.Intel;
using KmlSim.Execution;
using KmlSim.Isa;
using KmlSim.Memory;

namespace KmlSim.Tests.Execution;

/// <summary>Runs a few SSE instructions in a <see cref="SnippetMachine"/> with a writable data page.</summary>
internal static class SseSnippet
{
    /// <summary>Where the code is loaded.</summary>
    public const ulong Code = 0x40_0000;

    /// <summary>A 16-byte aligned writable data page (RBX points at it when a test asks for memory).</summary>
    public const ulong Data = 0x60_0000;

    /// <summary>Assembles <paramref name="build"/>, lets <paramref name="setup"/> set registers, and runs every instruction.</summary>
    public static SnippetMachine Run(Action<Assembler> build, Action<SnippetMachine>? setup = null)
    {
        var m = new SnippetMachine();
        m.Map(Data, 8192, PageFlags.User | PageFlags.Writable);
        var assembler = new Assembler(64);
        build(assembler);
        int count = assembler.Instructions.Count;
        m.LoadCode(Code, build);
        m.Cpu.SetRegister(Gpr.Rbx, Data);
        setup?.Invoke(m);
        m.Run(count);
        return m;
    }

    /// <summary>XMM register as two 64-bit lanes.</summary>
    public static (ulong Low, ulong High) Quads(this SnippetMachine m, int register)
    {
        Vector128<ulong> v = m.Cpu.GetXmm(register).AsUInt64();
        return (v.GetElement(0), v.GetElement(1));
    }

    /// <summary>Sets an XMM register from two 64-bit lanes.</summary>
    public static void SetQuads(this SnippetMachine m, int register, ulong low, ulong high) =>
        m.Cpu.SetXmm(register, Vector128.Create(low, high).AsByte());

    /// <summary>Sets an XMM register from two doubles.</summary>
    public static void SetDoubles(this SnippetMachine m, int register, double low, double high) =>
        m.Cpu.SetXmm(register, Vector128.Create(low, high).AsByte());

    /// <summary>Sets an XMM register from four singles.</summary>
    public static void SetSingles(this SnippetMachine m, int register, float a, float b, float c, float d) =>
        m.Cpu.SetXmm(register, Vector128.Create(a, b, c, d).AsByte());

    /// <summary>The low double of an XMM register.</summary>
    public static double LowDouble(this SnippetMachine m, int register) => m.Cpu.GetXmm(register).AsDouble().GetElement(0);

    /// <summary>Lane <paramref name="lane"/> of an XMM register as a single.</summary>
    public static float Single(this SnippetMachine m, int register, int lane) => m.Cpu.GetXmm(register).AsSingle().GetElement(lane);

    /// <summary>Lane <paramref name="lane"/> of an XMM register as a 32-bit integer.</summary>
    public static uint Dword(this SnippetMachine m, int register, int lane) => m.Cpu.GetXmm(register).AsUInt32().GetElement(lane);

    /// <summary>Writes a little-endian 64-bit value into the data page.</summary>
    public static void Poke64(this SnippetMachine m, ulong address, ulong value) => m.Poke(address, BitConverter.GetBytes(value));
}
