using KmlSim.Interrupts;

namespace KmlSim.Observation;

/// <summary>A timing model attached to a CPU: it observes retired instructions, meters kernel work, is the timer's clock and the kernel's CPU-time source.</summary>
public interface ITimingModel : IRetireObserver, IKernelWorkMeter, ITimerClock, ICpuTimeSource
{
    /// <summary>The cycles and counters so far.</summary>
    TimingReport Report();
}
