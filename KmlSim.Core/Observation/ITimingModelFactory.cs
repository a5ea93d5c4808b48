using KmlSim.Execution;

namespace KmlSim.Observation;

/// <summary>Something that builds a timing model for a CPU (KmlSim.Timing's <c>CpuProfile</c>); set as <see cref="MachineOptions.Timing"/>.</summary>
public interface ITimingModelFactory
{
    /// <summary>Creates a model and attaches it to <paramref name="cpu"/> (observer, timer clock, time-stamp counter).</summary>
    ITimingModel Attach(Cpu cpu);
}
