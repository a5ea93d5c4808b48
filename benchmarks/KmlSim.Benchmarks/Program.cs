using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace KmlSim.Benchmarks;

/// <summary>Entry point: BenchmarkDotNet's switcher over every suite in this assembly.</summary>
public static class Program
{
    /// <summary>
    /// Runs the suites named on the command line (e.g. <c>--filter *Functional*</c>); <c>--smoke</c> runs every
    /// suite (or those the options after it select) once, in this process, with BenchmarkDotNet's dry job
    /// (what CI does: it proves they run, it measures nothing), and exits with 1 if any case failed.
    /// </summary>
    public static int Main(string[] args)
    {
        if (args is ["--smoke", .. var rest])
        {
            IConfig smoke = DefaultConfig.Instance.AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance));
            BenchmarkSwitcher switcher = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly);
            // RunAll ignores a filter, and Run without one asks on the console which suite to run.
            Summary[] summaries = [.. rest.Length == 0 ? switcher.RunAll(smoke) : switcher.Run(rest, smoke)];
            return summaries.Length > 0 && summaries.All(Succeeded) ? 0 : 1;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    private static bool Succeeded(Summary summary) =>
        !summary.HasCriticalValidationErrors && summary.Reports.Length == summary.BenchmarksCases.Length && summary.Reports.All(r => r.Success);
}
