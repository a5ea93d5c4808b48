using System.Text;
using KmlSim.Guests;
using HostProcess = System.Diagnostics.Process;
using ProcessStartInfo = System.Diagnostics.ProcessStartInfo;

namespace KmlSim.Tests.Kernel.Guests;

/// <summary>Runs the Wisconsin analog (benchmarks/guests/wisc.c) natively and in the simulator, each on a fresh copy of the pristine database.</summary>
internal static class WisconsinRuns
{
    /// <summary>Where the database copy lives in the simulated file system.</summary>
    public const string GuestDatabase = "/data/wisc.db";

    /// <summary>Instruction budget of a simulated run (one full loop is about 160 M instructions natively).</summary>
    public const long Budget = 4_000_000_000;

    private static readonly Lazy<(string Binary, string Pristine)> Built = new(() =>
    {
        string binary = WisconsinGuest.Build();
        return (binary, WisconsinDatabase.Pristine(binary));
    });

    /// <summary>The wisc binary (built once, cached).</summary>
    public static string Binary => Built.Value.Binary;

    /// <summary>The pristine database of <see cref="Binary"/> with the default seed.</summary>
    public static string Pristine => Built.Value.Pristine;

    /// <summary>Runs wisc on the host against a scratch copy of the pristine database; returns stdout and the exit code.</summary>
    public static (string Stdout, int ExitCode) RunNative(IReadOnlyList<string> arguments)
    {
        string directory = Directory.CreateTempSubdirectory("kmlsim-wisc-test-").FullName;
        try
        {
            string database = Path.Combine(directory, "wisc.db");
            File.Copy(Pristine, database);
            var start = new ProcessStartInfo(Binary)
            {
                RedirectStandardOutput = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = directory,
            };
            foreach (string argument in (string[])["--db", database, .. arguments])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = HostProcess.Start(start)!;
            process.StandardInput.Close();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (stdout, process.ExitCode);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Runs wisc in the simulator (functional mode) on a copy of the pristine database written into the
    /// simulated file system; under KML the binary runs as /trusted/bin/wisc and its forked server inherits that.
    /// </summary>
    public static RunResult RunSimulated(KernelMode mode, IReadOnlyList<string> arguments)
    {
        var machine = new Machine(new MachineOptions { KernelMode = mode, Trusted = mode != KernelMode.Stock, WorkingDirectory = "/data" });
        machine.FileSystem.WriteFile(GuestDatabase, File.ReadAllBytes(Pristine));
        machine.Start(Binary, ["--db", GuestDatabase, .. arguments]);
        return machine.Run(RunLimits.Instructions(Budget));
    }

    /// <summary>The simulated run's stdout as text.</summary>
    public static string Text(RunResult result) => Encoding.UTF8.GetString(result.Stdout);
}
