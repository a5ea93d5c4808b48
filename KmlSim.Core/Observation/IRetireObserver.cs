namespace KmlSim.Observation;

/// <summary>
/// Receives every retired instruction and every exception/interrupt delivery, in order (a timing model).
/// Attach one with <see cref="Execution.Cpu.Observer"/>; with none attached the CPU runs its unobserved
/// loop, which this interface costs nothing.
/// </summary>
public interface IRetireObserver
{
    /// <summary>Called once per retired instruction and once per event delivery.</summary>
    void Retire(in RetiredInstruction instruction);
}
