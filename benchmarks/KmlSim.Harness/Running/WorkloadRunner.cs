using KmlSim.Guests;
using KmlSim.Timing.Profiles;

namespace KmlSim.Harness;

/// <summary>
/// Runs a workload under one kernel mode with a timing profile and measures it: builds the guest (once,
/// cached), installs its files, runs it in chunks (so that progress can be shown) to a clean exit, and
/// subtracts the baseline run when the workload has one.
/// </summary>
internal sealed class WorkloadRunner(CpuProfile profile, ProgressMeter progress)
{
    /// <summary>Guest instructions per <see cref="Machine.Run"/> call (about a second of timing simulation).</summary>
    private const long Chunk = 10_000_000;

    /// <summary>The profile runs are timed with.</summary>
    public CpuProfile Profile => profile;

    /// <summary>
    /// Builds the guest of <paramref name="workload"/> and creates its files for each of <paramref name="seeds"/>
    /// (both cached), each as a step of the progress display, so that a cold run shows what it is doing
    /// before the first simulation starts.
    /// </summary>
    /// <exception cref="GuestBuildException">The guest could not be built.</exception>
    public void Prepare(Workload workload, IReadOnlyList<int> seeds)
    {
        _ = progress.Prepare($"{workload.Name}: building the guest", workload.BuildGuest);
        foreach (WorkloadFile file in workload.Files)
        {
            foreach (int seed in seeds)
            {
                progress.Prepare($"{workload.Name}: creating {file.GuestPath} (seed {seed})", () => file.HostPath(seed));
            }
        }
    }

    /// <summary>Measures <paramref name="workload"/> under <paramref name="mode"/> with <paramref name="seed"/> (machine seed and guest seed).</summary>
    /// <exception cref="WorkloadFailedException">A run did not exit cleanly.</exception>
    /// <exception cref="GuestBuildException">The guest could not be built.</exception>
    public Measurement Measure(Workload workload, KernelMode mode, int seed)
    {
        string binary = workload.BuildGuest();
        long before = progress.Done;
        Measurement main = Run(workload, binary, workload.Arguments, mode, seed);
        Measurement result = workload.BaselineArguments is { } baseline ? main.Minus(Run(workload, binary, baseline, mode, seed)) : main;
        progress.Replan(workload.EstimatedInstructions, progress.Done - before);
        return result;
    }

    private Measurement Run(Workload workload, string binary, IReadOnlyList<string> arguments, KernelMode mode, int seed)
    {
        progress.Begin($"{workload.Name}, {ModeNames.Of(mode)}{(ReferenceEquals(arguments, workload.Arguments) ? "" : ", baseline")}, seed {seed}");
        var machine = new Machine(new MachineOptions { KernelMode = mode, Trusted = workload.Trusted, Timing = profile, Seed = seed });
        foreach (WorkloadFile file in workload.Files)
        {
            machine.FileSystem.WriteFile(file.GuestPath, File.ReadAllBytes(file.HostPath(seed)));
        }

        machine.Start(binary, arguments);
        RunResult result;
        long seen = 0;
        try
        {
            do
            {
                result = machine.Run(RunLimits.Instructions(Chunk));
                progress.Advance(result.Instructions - seen);
                seen = result.Instructions;
            }
            while (result.Outcome == RunOutcome.Limit);
        }
        finally
        {
            progress.End();
        }

        if (result.Outcome != RunOutcome.Exited || result.ExitCode != 0)
        {
            string stderr = System.Text.Encoding.UTF8.GetString(result.Stderr).Trim();
            string how = result.Outcome switch
            {
                RunOutcome.Exited => $"exited with status {result.ExitCode} (a workload must exit with 0)",
                RunOutcome.Signaled => $"was killed by signal {result.Signal}",
                _ => $"ended {JsonReport.OutcomeName(result.Outcome)}",
            };
            throw new WorkloadFailedException($"{workload.Name} ({string.Join(' ', arguments)}) under {ModeNames.Of(mode)} {how}: {result.Message} {stderr}".TrimEnd().TrimEnd(':'));
        }

        return Measurement.Of(result);
    }
}
