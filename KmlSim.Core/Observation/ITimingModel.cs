using KmlSim.Interrupts;

namespace KmlSim.Observation;

/// <summary>A timing model attached to a CPU: it observes retired instructions, meters kernel work and is the timer's clock.</summary>
public interface ITimingModel : IRetireObserver, IKernelWorkMeter, ITimerClock
{
    /// <summary>The cycles and counters so far.</summary>
    TimingReport Report();
}
