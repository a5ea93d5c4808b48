namespace KmlSim.Benchmarks;

/// <summary>The null system call: one raw <c>syscall(SYS_getppid)</c> per iteration (benchmarks/guests/getppid.c).</summary>
public class NullSystemCallBenchmarks : GuestLoopBenchmark
{
    /// <inheritdoc />
    protected override string GuestSource => "getppid.c";
}
