namespace KmlSim.Harness;

/// <summary>The parsed arguments of <c>kmlsim wisconsin</c>.</summary>
/// <param name="Options">How wisc runs.</param>
/// <param name="Seeds">One Stock and one Kml run per seed (the seed also picks the data permutation).</param>
/// <param name="Reports">Report files to write.</param>
/// <param name="Profile">The timing profile (Opteron 850 with the <c>--set</c> changes).</param>
internal sealed record WisconsinArguments(WisconsinOptions Options, IReadOnlyList<int> Seeds, ReportOptions Reports, Timing.Profiles.CpuProfile Profile)
{
    /// <summary>The default SQLite cache of the command: the small, MyISAM-like one.</summary>
    public const int DefaultCachePages = 2;
}
