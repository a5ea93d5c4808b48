using KmlSim.Execution;

namespace KmlSim.Interrupts;

/// <summary>
/// The functional time base: one tick per retired instruction (an IPC of 1), plus the ticks spent halted.
/// A kernel that wants HZ = 1000 on the 2.4 GHz Opteron 850 programs a period of 2,400,000 ticks, which is
/// 2.4 M cycles with the timing model and 2.4 M instructions here.
/// </summary>
public sealed class InstructionClock(Cpu cpu) : ITimerClock
{
    private long idleTicks;

    /// <inheritdoc/>
    public long Now => cpu.InstructionsRetired + idleTicks;

    /// <inheritdoc/>
    public long InstructionsBefore(long deadline) => Math.Max(deadline - Now, 1);

    /// <inheritdoc/>
    public void IdleUntil(long deadline) => idleTicks += Math.Max(deadline - Now, 0);
}
