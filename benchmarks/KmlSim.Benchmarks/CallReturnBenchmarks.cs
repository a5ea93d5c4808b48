namespace KmlSim.Benchmarks;

/// <summary>
/// The yardstick a KML system call is compared with: one CALL and RET of a non-inlined function per iteration
/// (benchmarks/guests/callret.c); no system call, so both kernel modes should cost the same.
/// </summary>
public class CallReturnBenchmarks : GuestLoopBenchmark
{
    /// <inheritdoc />
    protected override string GuestSource => "callret.c";
}
