using KmlSim.Isa;

namespace KmlSim.Tests.Native;

/// <summary>One instruction with its inputs, run on both executors and compared.</summary>
internal sealed class DifferentialCase
{
    /// <summary>The instruction bytes the simulator runs.</summary>
    public required byte[] Code { get; init; }

    /// <summary>
    /// Bytes the host runs instead, when the host implements an encoding differently from the K8 (e.g.
    /// TZCNT on a BMI1 host, where the K8 executes the same bytes as BSF).
    /// </summary>
    public byte[]? NativeCode { get; init; }

    public required CpuState Input { get; init; }

    /// <summary>How many instructions <see cref="Code"/> holds (the simulator runs that many; e.g. a compare and a SETcc).</summary>
    public int InstructionCount { get; init; } = 1;

    /// <summary>The status flags the instruction defines for this input (the others are masked, per the AMD64 APM vol. 3).</summary>
    public ulong DefinedFlags { get; init; } = RFlags.Status;
}
