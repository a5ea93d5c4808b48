using System.Runtime.CompilerServices;
using Iced.Intel;
using KmlSim.Timing.Profiles;

namespace KmlSim.Timing.Costs;

/// <summary>
/// A profile's <see cref="InstructionCosts"/> flattened into one entry per Iced <see cref="Code"/> (its
/// override, or its class's cost), so the per-instruction lookup is an array index. Built once per
/// <see cref="InstructionCosts"/> instance and shared by every model attached with it.
/// </summary>
public sealed class CostTable
{
    private static readonly ConditionalWeakTable<InstructionCosts, CostTable> Built = [];
    private readonly InstructionCost[] costs;
    private readonly InstructionCost locked;
    private readonly InstructionCost interruptDelivery;

    private CostTable(InstructionCosts source)
    {
        costs = new InstructionCost[(int)Enum.GetValues<Code>().Max() + 1];
        for (int i = 0; i < costs.Length; i++)
        {
            costs[i] = source.For((Code)i);
        }

        locked = source.Locked;
        interruptDelivery = source.InterruptDelivery;
    }

    /// <summary>The table of <paramref name="source"/> (built on first use).</summary>
    public static CostTable For(InstructionCosts source) => Built.GetValue(source, s => new CostTable(s));

    /// <summary>The cost of an instruction form.</summary>
    public ref readonly InstructionCost this[Code code] => ref costs[(int)code];

    /// <summary>The cost of any LOCK-prefixed read-modify-write (whatever its form).</summary>
    public ref readonly InstructionCost Locked => ref locked;

    /// <summary>The cost of delivering an exception or interrupt.</summary>
    public ref readonly InstructionCost InterruptDelivery => ref interruptDelivery;
}
