using System.CommandLine;
using KmlSim.Guests;

namespace KmlSim.Harness;

/// <summary><c>kmlsim demo</c>: builds the bundled demo guest on first use and runs it.</summary>
internal static class DemoCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("demo", "Builds the bundled demo guest with gcc -O2 -static (once, cached) and runs it.");
        command.SetAction(parsed => Execute(parsed.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Builds and runs <c>guests/demo.c</c> (shipped beside kmlsim).</summary>
    public static int Execute(TextWriter error)
    {
        string source = Path.Combine(AppContext.BaseDirectory, "guests", "demo.c");
        string binary;
        try
        {
            binary = GuestCompiler.Build(source, GuestToolchain.Glibc);
        }
        catch (Exception problem) when (problem is GuestBuildException or IOException)
        {
            error.WriteLine($"kmlsim: cannot build the demo guest (it needs gcc with static glibc, e.g. the Debian packages gcc and libc6-dev): {problem.Message}");
            return CommandLine.UsageError;
        }

        return RunCommand.Execute(new RunArguments(binary, [], null, null, KmlSim.Timing.Profiles.CpuProfiles.Opteron850), error);
    }
}
