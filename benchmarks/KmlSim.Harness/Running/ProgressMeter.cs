using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace KmlSim.Harness;

/// <summary>
/// Progress of a batch of simulations on stderr, from the first second: each preparation step (building a
/// guest, creating a database), then the simulation with the run under way, the simulated MIPS and the
/// time left. On a terminal it is a live Spectre.Console display: a line per step and one bar whose length
/// is the planned instruction count (estimates, replaced by the actual count as each run ends), with
/// Spectre's time left from the speed over the recent past (<see cref="TimeLeftColumn"/>: none while the
/// JIT warms up). Anywhere else (a log, a pipe) it writes one line per step and per finished run.
/// </summary>
internal sealed class ProgressMeter
{
    private readonly ProgressContext? live;
    private readonly TextWriter? log;
    private readonly ProgressTask? simulation;
    private readonly Stopwatch clock = new();
    private long planned;
    private long done;
    private string label = "";
    private TimeSpan lastDescribed = TimeSpan.MinValue;

    private ProgressMeter(ProgressContext? live, TextWriter? log, long plannedInstructions)
    {
        this.live = live;
        this.log = log;
        planned = Math.Max(plannedInstructions, 1);
        simulation = live?.AddTask("simulation", autoStart: false, maxValue: planned);
    }

    /// <summary>A meter that shows nothing.</summary>
    public static ProgressMeter Silent => new(null, null, 0);

    /// <summary>Guest instructions simulated so far.</summary>
    public long Done => done;

    /// <summary>
    /// Runs <paramref name="work"/> with a meter for a batch expected to retire <paramref name="plannedInstructions"/>
    /// instructions, shown on <paramref name="error"/> while it runs.
    /// </summary>
    public static T Show<T>(TextWriter error, long plannedInstructions, Func<ProgressMeter, T> work)
    {
        if (!ReferenceEquals(error, Console.Error) || Console.IsErrorRedirected)
        {
            return work(new ProgressMeter(null, error, plannedInstructions));
        }

        // Spectre judges a console interactive by standard output; the display is on standard error.
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(error),
            Interactive = InteractionSupport.Yes,
        });
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new TimeLeftColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var meter = new ProgressMeter(context, null, plannedInstructions);
                T result = work(meter);
                meter.label = "simulated";
                meter.Describe(force: true);
                return result;
            });
    }

    /// <summary>Runs one preparation step (a guest build, a database), shown until it ends.</summary>
    public T Prepare<T>(string what, Func<T> step)
    {
        log?.WriteLine($"kmlsim: {what}");
        ProgressTask? task = live?.AddTaskBefore(Markup.Escape(what), simulation!, autoStart: true, maxValue: 1);
        if (task is not null)
        {
            task.IsIndeterminate = true;
        }

        T result = step();
        if (task is not null)
        {
            task.IsIndeterminate = false;
            task.Value = 1;
            task.StopTask();
        }

        return result;
    }

    /// <summary>A run starts: names it (shown on the bar) and starts the simulation clock.</summary>
    public void Begin(string run)
    {
        label = run;
        simulation?.StartTask();
        clock.Start();
        Describe(force: true);
    }

    /// <summary>The run ended: stops the simulation clock (and logs the run).</summary>
    public void End()
    {
        clock.Stop();
        if (log is not null)
        {
            double fraction = Math.Min((double)done / planned, 1);
            string left = clock.Elapsed >= TimeLeftColumn.Settling && fraction > 0
                ? $", about {TimeSpan.FromSeconds(Math.Round(clock.Elapsed.TotalSeconds * (1 - fraction) / fraction)).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)} left"
                : "";
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kmlsim: {label} done: {Summary()}; {fraction * 100:F0}% of the simulation{left}"));
        }
    }

    /// <summary>Counts <paramref name="instructions"/> more simulated instructions.</summary>
    public void Advance(long instructions)
    {
        done += instructions;
        simulation?.Increment(instructions);
        Describe(force: false);
    }

    /// <summary>A run ended having retired <paramref name="actual"/> instructions where <paramref name="estimated"/> were planned.</summary>
    public void Replan(long estimated, long actual)
    {
        planned = Math.Max(planned + actual - estimated, done);
        if (simulation is not null)
        {
            simulation.MaxValue = planned;
        }
    }

    private string Summary() => string.Create(
        CultureInfo.InvariantCulture, $"{done / 1e6:F1} M instructions simulated, {done / Math.Max(clock.Elapsed.TotalSeconds, 1e-3) / 1e6:F1} MIPS");

    // The live description (run, instructions, MIPS) changes at most once a second.
    private void Describe(bool force)
    {
        if (simulation is null || (!force && clock.Elapsed - lastDescribed < TimeSpan.FromSeconds(1)))
        {
            return;
        }

        lastDescribed = clock.Elapsed;
        simulation.Description = Markup.Escape($"{label}: {Summary()}");
    }
}
