using Iced.Intel;

namespace KmlSim.Timing.Costs;

/// <summary>
/// Per-instruction timing classes keyed by Iced <see cref="Code"/>, built once from Iced's metadata
/// (mnemonic, operand size, flow control) and the numbers of reference/k8-opteron850.md §3-4 (cited per
/// family in <see cref="InstructionFamilies"/>). Lookups are a flat array index.
/// </summary>
public sealed class CostTable
{
    private readonly InstructionCost[] costs;
    private readonly InstructionCost locked = InstructionFamilies.Locked;

    private CostTable(InstructionCost[] costs) => this.costs = costs;

    /// <summary>The K8 table.</summary>
    public static CostTable K8 { get; } = Build();

    /// <summary>The cost of an instruction form.</summary>
    public ref readonly InstructionCost this[Code code] => ref costs[(int)code];

    /// <summary>The cost of any LOCK-prefixed read-modify-write (whatever its form).</summary>
    public ref readonly InstructionCost Locked => ref locked;

    private static CostTable Build()
    {
        var costs = new InstructionCost[(int)Enum.GetValues<Code>().Max() + 1];
        for (int i = 0; i < costs.Length; i++)
        {
            costs[i] = InstructionFamilies.Classify((Code)i);
        }

        return new CostTable(costs);
    }
}
