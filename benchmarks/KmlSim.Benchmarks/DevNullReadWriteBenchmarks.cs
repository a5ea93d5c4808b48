namespace KmlSim.Benchmarks;

/// <summary>A 1-byte write and a 1-byte read on /dev/null per iteration: two system calls (benchmarks/guests/devnull_rw.c).</summary>
public class DevNullReadWriteBenchmarks : GuestLoopBenchmark
{
    /// <inheritdoc />
    protected override string GuestSource => "devnull_rw.c";
}
