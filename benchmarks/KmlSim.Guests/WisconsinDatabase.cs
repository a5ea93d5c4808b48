using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace KmlSim.Guests;

/// <summary>
/// The pristine Wisconsin database (<c>wisc --create</c>: four tables loaded and Bprime cut to 1,000 rows),
/// made once per wisc binary and data seed and kept beside the guest cache, so that every measured run
/// starts from a copy of the same file and none pays for the load (1-2 billion instructions per
/// wisconsin.md; about 0.7 billion for this SQLite analog, measured with perf stat).
/// </summary>
/// <remarks>
/// The load is not measured, so it runs where it is cheapest: natively when the host can run the static
/// x86-64 Linux binary (a fraction of a second), otherwise in the simulator in functional mode (no timing
/// model; tens of seconds). Both give the same bytes: the program and its data are deterministic and
/// SQLite writes no time or host identity into the file.
/// </remarks>
public static class WisconsinDatabase
{
    /// <summary>The data seed wisc uses when none is given.</summary>
    public const ulong DefaultSeed = 1;

    /// <summary>Instruction budget of a simulated load (about 0.7 billion needed).</summary>
    private const long SimulatedLoadBudget = 5_000_000_000;

    /// <summary>True when this host runs a static x86-64 Linux binary natively.</summary>
    public static bool HostRunsGuests => OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64;

    /// <summary>
    /// The path of the pristine database for <paramref name="wiscBinary"/> and <paramref name="seed"/>,
    /// created on first use (natively when <see cref="HostRunsGuests"/>, else simulated). Callers copy it;
    /// they must not write to it.
    /// </summary>
    /// <exception cref="InvalidOperationException">wisc --create failed (the message has its output).</exception>
    public static string Pristine(string wiscBinary, ulong seed = DefaultSeed)
    {
        string key = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(wiscBinary)), 0, 8).ToLowerInvariant();
        string path = Path.Combine(GuestCompiler.CacheDirectory, $"wisconsin-{key}-seed{seed}.db");
        if (File.Exists(path))
        {
            return path;
        }

        byte[] contents = HostRunsGuests ? CreateNatively(wiscBinary, seed) : CreateSimulated(wiscBinary, seed);
        Directory.CreateDirectory(GuestCompiler.CacheDirectory);
        string temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, contents); // renamed into place, so a concurrent builder never sees half a file
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>Runs <c>wisc --create</c> on the host in a scratch directory and returns the database's bytes.</summary>
    /// <exception cref="InvalidOperationException">wisc failed.</exception>
    public static byte[] CreateNatively(string wiscBinary, ulong seed)
    {
        string directory = Directory.CreateTempSubdirectory("kmlsim-wisc-").FullName;
        try
        {
            string database = Path.Combine(directory, "pristine.db");
            var start = new ProcessStartInfo(Path.GetFullPath(wiscBinary))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = directory,
            };
            foreach (string argument in CreateArguments(database, seed))
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {wiscBinary}");
            Task<string> error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{wiscBinary} --create failed (exit {process.ExitCode}): {error.Result}");
            }

            return File.ReadAllBytes(database);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Runs <c>wisc --create</c> in the simulator (functional mode, stock kernel) and returns the database's bytes.</summary>
    /// <exception cref="InvalidOperationException">wisc did not exit with status 0 in the simulator.</exception>
    public static byte[] CreateSimulated(string wiscBinary, ulong seed)
    {
        const string database = "/wisconsin/pristine.db";
        var machine = new Machine(new MachineOptions { WorkingDirectory = "/wisconsin" });
        machine.Start(wiscBinary, CreateArguments(database, seed));
        RunResult result = machine.Run(RunLimits.Instructions(SimulatedLoadBudget));
        if (result.Outcome != RunOutcome.Exited || result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{wiscBinary} --create in the simulator ended {result.Outcome} (exit {result.ExitCode}): {result.Message} {System.Text.Encoding.UTF8.GetString(result.Stderr)}");
        }

        return machine.FileSystem.ReadFile(database);
    }

    private static string[] CreateArguments(string database, ulong seed) =>
        ["--db", database, "--create", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture)];
}
