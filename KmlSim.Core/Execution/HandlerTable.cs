using Iced.Intel;
using KmlSim.Decoding;

namespace KmlSim.Execution;

/// <summary>
/// Maps Iced instruction codes to interpreter handlers. A handler registered for a <see cref="Code"/> wins
/// over one registered for the whole <see cref="Mnemonic"/>; anything unregistered raises #UD, so an
/// unimplemented instruction is a guest-visible SIGILL rather than a host failure. Each instruction family
/// (a partial file of <see cref="Cpu"/>) registers its own handlers.
/// </summary>
internal sealed unsafe class HandlerTable
{
    private readonly Dictionary<Code, nint> byCode = new();
    private readonly Dictionary<Mnemonic, nint> byMnemonic = new();

    private HandlerTable()
    {
    }

    /// <summary>The table with every family's handlers, built once.</summary>
    public static HandlerTable Default { get; } = Build();

    public void Add(Mnemonic mnemonic, delegate*<Cpu, ref DecodedInstruction, void> handler) => byMnemonic[mnemonic] = (nint)handler;

    public void Add(Code code, delegate*<Cpu, ref DecodedInstruction, void> handler) => byCode[code] = (nint)handler;

    /// <summary>True when the instruction has a handler (used by tests that check coverage).</summary>
    public bool Has(Code code) => byCode.ContainsKey(code) || byMnemonic.ContainsKey(code.Mnemonic());

    /// <summary>True when the code has no handler of its own and would use its mnemonic's generic one.</summary>
    public bool IsGeneric(Code code) => !byCode.ContainsKey(code);

    public delegate*<Cpu, ref DecodedInstruction, void> Find(Code code, Mnemonic mnemonic)
    {
        if (byCode.TryGetValue(code, out nint handler) || byMnemonic.TryGetValue(mnemonic, out handler))
        {
            return (delegate*<Cpu, ref DecodedInstruction, void>)handler;
        }

        return &Cpu.InvalidOpcode;
    }

    private static HandlerTable Build()
    {
        var table = new HandlerTable();
        Cpu.RegisterIntegerAlu(table);
        Cpu.RegisterDataMovement(table);
        Cpu.RegisterShifts(table);
        Cpu.RegisterMultiplyDivide(table);
        Cpu.RegisterBitOperations(table);
        Cpu.RegisterStrings(table);
        Cpu.RegisterControlFlow(table);
        Cpu.RegisterSystem(table);
        Cpu.RegisterFarTransfers(table);
        Cpu.RegisterPrivileged(table);
        Cpu.RegisterPortIo(table);
        Cpu.RegisterMsr(table);
        Cpu.RegisterHostCalls(table);
        Cpu.RegisterSseMoves(table);
        Cpu.RegisterSseInteger(table);
        Cpu.RegisterSseFloat(table);
        Cpu.RegisterMaskedStores(table);
        Cpu.RegisterCacheControl(table);
        Cpu.RegisterSseReciprocals(table);
        Cpu.RegisterByteAndQuadExchange(table);
        Cpu.RegisterMmx(table); // after the SSE families: MMX instructions run their SSE2 handlers
        Cpu.RegisterAmd3DNow(table);
        Cpu.RegisterX87(table);
        return table;
    }
}
