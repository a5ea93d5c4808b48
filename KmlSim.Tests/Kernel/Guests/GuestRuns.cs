using HostProcess = System.Diagnostics.Process;
using ProcessStartInfo = System.Diagnostics.ProcessStartInfo;
using KmlSim.Guests;

namespace KmlSim.Tests.Kernel.Guests;

/// <summary>Builds the C guests of KmlSim.Tests/Guests (once per content, cached) and runs them natively and simulated.</summary>
internal static class GuestRuns
{
    /// <summary>Instruction budget of a simulated test guest (the largest needs well under a tenth of it).</summary>
    public const long InstructionBudget = 2_000_000_000;

    /// <summary>The toolchains present on this host (musl only when musl-gcc is installed).</summary>
    public static IEnumerable<GuestToolchain> Toolchains()
    {
        yield return GuestToolchain.Glibc;
        if (GuestCompiler.IsAvailable(GuestToolchain.Musl))
        {
            yield return GuestToolchain.Musl;
        }
    }

    /// <summary>The path of a guest built from <c>Guests/<paramref name="name"/>.c</c>.</summary>
    public static string Build(string name, GuestToolchain toolchain) =>
        GuestCompiler.Build(Path.Combine(TestContext.CurrentContext.TestDirectory, "Guests", name + ".c"), toolchain);

    /// <summary>Runs a guest on the host with empty stdin (in <paramref name="workingDirectory"/> when given, with <paramref name="arguments"/>); returns its stdout and exit code.</summary>
    public static (string Stdout, int ExitCode) RunNative(string binary, string? workingDirectory = null, params string[] arguments)
    {
        var start = new ProcessStartInfo(binary, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        using var process = HostProcess.Start(start)!;
        process.StandardInput.Close();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (stdout, process.ExitCode);
    }

    /// <summary>Runs a guest in the simulator (on a machine built with <paramref name="options"/> when given, with <paramref name="arguments"/>).</summary>
    public static RunResult RunSimulated(string binary, long budget = InstructionBudget, MachineOptions? options = null, params string[] arguments)
    {
        var machine = new Machine(options);
        machine.Start(binary, arguments);
        return machine.Run(RunLimits.Instructions(budget));
    }

    /// <summary>
    /// Builds the glibc guest <paramref name="name"/> and asserts that the simulator, under <paramref name="mode"/>
    /// (from /trusted under KML), prints the same stdout and exits with the same code as the native run
    /// (both given <paramref name="arguments"/>).
    /// </summary>
    public static void AssertSameAsNative(string name, KernelMode mode, params string[] arguments)
    {
        string binary = Build(name, GuestToolchain.Glibc);
        var (nativeStdout, nativeExit) = RunNative(binary, null, arguments);
        RunResult simulated = RunSimulated(binary, options: new MachineOptions { KernelMode = mode, Trusted = mode == KernelMode.Kml }, arguments: arguments);
        Assert.Multiple(() =>
        {
            Assert.That(simulated.Outcome, Is.EqualTo(RunOutcome.Exited), simulated.Message);
            Assert.That(System.Text.Encoding.UTF8.GetString(simulated.Stdout), Is.EqualTo(nativeStdout));
            Assert.That(simulated.ExitCode, Is.EqualTo(nativeExit));
        });
    }
}
