using System.Diagnostics;

namespace KmlSim.Tests.DotnetTools;

/// <summary>
/// Runs the .NET CLI from a test (packing, building a consumer project, launching the benchmarks) with a
/// time limit, and returns everything it printed so that a failure can show it.
/// </summary>
internal static class DotnetCommand
{
    /// <summary>The dotnet host running this test (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static string Host => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>, the
    /// variables in <paramref name="environment"/> added, and kills it (and its children) after
    /// <paramref name="timeout"/>.
    /// </summary>
    public static DotnetOutcome Run(IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Host)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // dotnet test exports MSBuild's own paths to the test host; a nested build must find its SDK afresh.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // Build servers would outlive the command holding its output pipes open (and linger on a CI machine).
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Host}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        bool exited = process.WaitForExit(timeout);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
        }

        // A process left behind by the command could hold the pipes open: the readers get a bounded time.
        Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(30));
        string output = Completed(stdout) + (Completed(stderr) is { Length: > 0 } errors ? $"[stderr]\n{errors}" : "");
        return new DotnetOutcome($"dotnet {string.Join(' ', start.ArgumentList)}", exited ? process.ExitCode : null, output);
    }

    private static string Completed(Task<string> reader) => reader.IsCompletedSuccessfully ? reader.Result : "(output not closed)\n";
}
