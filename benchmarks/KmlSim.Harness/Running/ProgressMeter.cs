using System.Diagnostics;
using System.Globalization;

namespace KmlSim.Harness;

/// <summary>
/// Progress of a batch of simulations on stderr: which run, simulated instructions so far, simulated
/// MIPS (guest instructions per host second) and the time left, from the planned instruction count
/// (estimates, replaced by the actual count as each run ends) at the speed so far. The speed counts only
/// time spent simulating (between <see cref="Begin"/> and <see cref="End"/>), not building guests. At most
/// one line a second; on a terminal each line overwrites the last.
/// </summary>
internal sealed class ProgressMeter
{
    private readonly TextWriter output;
    private readonly bool overwrite;
    private readonly Stopwatch clock = new();
    private long planned;
    private long done;
    private TimeSpan lastShown;
    private string label = "";

    /// <summary>Creates a meter for a batch expected to retire <paramref name="plannedInstructions"/> instructions.</summary>
    public ProgressMeter(TextWriter output, long plannedInstructions, bool overwrite)
    {
        this.output = output;
        this.overwrite = overwrite;
        planned = plannedInstructions;
    }

    /// <summary>A meter that shows nothing.</summary>
    public static ProgressMeter Silent => new(TextWriter.Null, 0, overwrite: false);

    /// <summary>Guest instructions simulated so far.</summary>
    public long Done => done;

    /// <summary>A run starts: names it (shown on each line) and starts the simulation clock.</summary>
    public void Begin(string run)
    {
        label = run;
        clock.Start();
    }

    /// <summary>The run ended: stops the simulation clock.</summary>
    public void End() => clock.Stop();

    /// <summary>Counts <paramref name="instructions"/> more simulated instructions and shows a line if a second has passed.</summary>
    public void Advance(long instructions)
    {
        done += instructions;
        if (clock.Elapsed - lastShown >= TimeSpan.FromSeconds(1))
        {
            Show();
        }
    }

    /// <summary>A run ended having retired <paramref name="actual"/> instructions where <paramref name="estimated"/> were planned.</summary>
    public void Replan(long estimated, long actual) => planned += actual - estimated;

    /// <summary>Ends the display (a last line, and a newline on a terminal).</summary>
    public void Finish()
    {
        Show();
        if (overwrite)
        {
            output.WriteLine();
        }
    }

    private void Show()
    {
        lastShown = clock.Elapsed;
        double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
        double mips = done / seconds / 1e6;
        long left = Math.Max(planned - done, 0);
        string eta = mips > 0 ? TimeSpan.FromSeconds(Math.Round(left / (mips * 1e6))).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : "?";
        string line = string.Create(CultureInfo.InvariantCulture, $"kmlsim: {label}: {done / 1e6:F1} M instructions simulated, {mips:F1} MIPS, ETA {eta}");
        output.Write(overwrite ? "\r" + line.PadRight(100) : line + Environment.NewLine);
        output.Flush();
    }
}
