using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace KmlSim.Harness;

/// <summary>
/// The time left of a progress task, shown only once it can be honest: not before the task has run
/// <see cref="Settling"/> (the first seconds of a simulation run at a fraction of the later speed while the
/// JIT compiles the hot paths, so an early estimate would be several times too long), "done" when it has
/// finished, and Spectre's estimate (remaining work at the speed over the recent past) in between.
/// </summary>
internal sealed class TimeLeftColumn : ProgressColumn
{
    /// <summary>How long a task runs before its time left is shown.</summary>
    public static readonly TimeSpan Settling = TimeSpan.FromSeconds(10);

    /// <inheritdoc/>
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) => new Text(
        task.IsFinished ? "done"
        : !task.IsStarted || task.IsIndeterminate || task.ElapsedTime < Settling || task.RemainingTime is not { } left ? "estimating"
        : $"{left.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)} left");

    /// <inheritdoc/>
    public override int? GetColumnWidth(RenderOptions options) => 13;
}
