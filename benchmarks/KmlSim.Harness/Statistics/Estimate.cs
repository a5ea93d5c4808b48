using MathNet.Numerics.Distributions;

namespace KmlSim.Harness;

/// <summary>
/// A figure measured over one or more seeds: the mean and the half-width of its 95% confidence interval
/// (Student t with runs - 1 degrees of freedom, the sample standard deviation). One run has no interval:
/// the simulator is deterministic, so the figure is exact for that seed.
/// </summary>
/// <param name="Mean">The mean over the runs.</param>
/// <param name="HalfWidth">Half the width of the 95% confidence interval (0 for one run).</param>
/// <param name="Runs">How many runs (seeds) it summarises.</param>
internal readonly record struct Estimate(double Mean, double HalfWidth, int Runs)
{
    /// <summary>Summarises <paramref name="values"/> (one per seed).</summary>
    /// <exception cref="ArgumentException">There are no values.</exception>
    public static Estimate Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("an estimate needs at least one value", nameof(values));
        }

        double mean = values.Average();
        if (values.Count == 1)
        {
            return new Estimate(mean, 0, 1);
        }

        double squares = values.Sum(v => (v - mean) * (v - mean));
        double deviation = Math.Sqrt(squares / (values.Count - 1));
        return new Estimate(mean, TQuantile975(values.Count - 1) * deviation / Math.Sqrt(values.Count), values.Count);
    }

    /// <summary>The 97.5% quantile of Student's t with <paramref name="degreesOfFreedom"/> (the two-sided 95% factor).</summary>
    public static double TQuantile975(int degreesOfFreedom) => StudentT.InvCDF(0, 1, degreesOfFreedom, 0.975);

    /// <summary>How figures over <paramref name="runs"/> runs are to be read, for report headers.</summary>
    public static string Describe(int runs) => runs == 1
        ? "exact (deterministic): one run, the simulator gives the same cycles for the same inputs"
        : $"mean ± 95% confidence interval over {runs} seeds (Student t, {runs - 1} degrees of freedom)";

    /// <summary>The mean formatted with <paramref name="format"/>, followed by "± half-width" when there were several runs.</summary>
    public string Format(string format) =>
        Runs == 1 ? Mean.ToString(format, Invariant) : $"{Mean.ToString(format, Invariant)} ± {HalfWidth.ToString(format, Invariant)}";

    private static IFormatProvider Invariant => System.Globalization.CultureInfo.InvariantCulture;
}
