using BenchmarkDotNet.Running;

namespace KmlSim.Benchmarks;

/// <summary>Entry point: BenchmarkDotNet's switcher over every suite in this assembly.</summary>
public static class Program
{
    /// <summary>Runs the suites named on the command line (e.g. <c>--filter *Functional*</c>).</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
