using KmlSim.Execution;
using KmlSim.Observation;

namespace KmlSim.Kernel;

/// <summary>
/// CPU time without a timing model: one retired instruction is one cycle (the <see cref="SimulatedClock"/>
/// convention), user-half instructions are user time and kernel-half ones system time, as the timing
/// model's accounts split them.
/// </summary>
internal sealed class InstructionCpuTime(Cpu cpu) : ICpuTimeSource
{
    /// <inheritdoc/>
    public long UserCycles => cpu.InstructionsRetired - cpu.KernelHalfInstructions;

    /// <inheritdoc/>
    public long SystemCycles => cpu.KernelHalfInstructions;
}
