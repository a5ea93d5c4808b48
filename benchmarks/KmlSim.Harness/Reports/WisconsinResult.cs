namespace KmlSim.Harness;

/// <summary>
/// The Wisconsin comparison and its figures at the article's scale. Scaling to 10,000 loops: with one
/// loop, the whole run times 10,000 (start-up and the 14 writes, which run once, are multiplied too: an
/// overstatement); with N &gt;= 2 loops, a 1-loop run is also made and the scaled figure is
/// one-loop + (N-loop - one-loop) x 9,999 / (N - 1), so start-up and the writes count once, as in the article.
/// </summary>
/// <param name="Options">How wisc ran.</param>
/// <param name="Main">The comparison at <see cref="WisconsinOptions.Loops"/> loops.</param>
/// <param name="OneLoop">The 1-loop comparison used for scaling, when Loops &gt;= 2.</param>
/// <param name="ClockHz">The simulated clock, to turn cycles into CPU seconds.</param>
internal sealed record WisconsinResult(WisconsinOptions Options, WorkloadComparison Main, WorkloadComparison? OneLoop, long ClockHz)
{
    /// <summary>How the scaled figures were obtained.</summary>
    public string ScalingMethod => OneLoop is null
        ? $"scaled = {Options.Loops}-loop run x {WisconsinOptions.ArticleLoops / (double)Options.Loops:N0} (start-up and the 14 writes multiplied too: an overstatement; run --loops 2 or more to scale only the loops)"
        : $"scaled = 1-loop run + ({Options.Loops}-loop run - 1-loop run) x {WisconsinOptions.ArticleLoops - 1:N0} / {Options.Loops - 1} (start-up and the 14 writes counted once)";

    /// <summary>CPU seconds of <paramref name="figure"/> (cycles) in <paramref name="mode"/>, as run.</summary>
    public Estimate Seconds(KernelMode mode, Func<Measurement, double> figure) => Main.Figure(mode, m => figure(m) / ClockHz);

    /// <summary>CPU seconds of <paramref name="figure"/> in <paramref name="mode"/> scaled to the article's 10,000 loops, per seed.</summary>
    public Estimate ScaledSeconds(KernelMode mode, Func<Measurement, double> figure) => Estimate.Of(Scaled(mode, figure).Select(cycles => cycles / ClockHz).ToArray());

    /// <summary>The change from Stock to Kml of the scaled figure, in percent, per seed.</summary>
    public Estimate ScaledChangePercent(Func<Measurement, double> figure)
    {
        double[] stock = Scaled(KernelMode.Stock, figure), kml = Scaled(KernelMode.Kml, figure);
        return Estimate.Of(stock.Zip(kml, (s, k) => s == 0 ? 0 : (k - s) * 100 / s).ToArray());
    }

    private double[] Scaled(KernelMode mode, Func<Measurement, double> figure)
    {
        IReadOnlyList<Measurement> main = Main.Of(mode);
        if (OneLoop is null)
        {
            return main.Select(m => figure(m) * WisconsinOptions.ArticleLoops / Options.Loops).ToArray();
        }

        IReadOnlyList<Measurement> one = OneLoop.Of(mode);
        return main.Zip(one, (n, o) => figure(o) + ((figure(n) - figure(o)) * (WisconsinOptions.ArticleLoops - 1) / (Options.Loops - 1))).ToArray();
    }
}
