namespace KmlSim.Tests.DotnetTools;

/// <summary>What a <see cref="DotnetCommand"/> did: its exit code (null when it was killed at its time limit) and all it printed.</summary>
internal sealed record DotnetOutcome(string Command, int? ExitCode, string Output)
{
    /// <summary>True when the command finished with exit code 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>A failure message naming the command, how it ended and its output.</summary>
    public string Describe() =>
        $"`{Command}` {(ExitCode is { } code ? $"exited with {code}" : "was killed at its time limit")}; it printed:\n{Output}";
}
