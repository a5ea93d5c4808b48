namespace KmlSim.Benchmarks;

/// <summary>Simulated Opteron 850 cycles per loop iteration of a guest, split as the timing model attributes them (user + system = total).</summary>
/// <param name="Total">All cycles per iteration.</param>
/// <param name="User">Cycles of the program's own code (for a KML trusted process, its code at CPL 0 too).</param>
/// <param name="System">Cycles in the kernel: entry and exit paths, dispatch, system call bodies.</param>
public sealed record SimulatedCycles(double Total, double User, double System);
