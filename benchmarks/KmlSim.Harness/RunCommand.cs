using KmlSim.Kernel.Elf;

namespace KmlSim.Harness;

/// <summary><c>kmlsim run</c>: runs a guest, forwards its output, reports, and exits with its status.</summary>
internal static class RunCommand
{
    /// <summary>Exit status when the instruction limit stopped the guest (as timeout(1)).</summary>
    public const int LimitStatus = 124;

    /// <summary>Exit status when the simulator could not go on (as timeout(1) when it fails itself).</summary>
    public const int ErrorStatus = 125;

    /// <summary>Runs the guest described by <paramref name="arguments"/>.</summary>
    public static int Execute(RunArguments arguments, TextWriter error)
    {
        Machine machine;
        try
        {
            byte[] stdin = arguments.StdinPath is { } file ? File.ReadAllBytes(file) : Console.IsInputRedirected ? ReadStdin() : [];
            machine = new Machine(new MachineOptions { Stdin = stdin, KernelMode = arguments.Mode, Trusted = arguments.Trusted, Timing = arguments.Timing });
            foreach ((string host, string guest) in arguments.Mappings)
            {
                machine.FileSystem.MapHostDirectory(guest, host);
            }

            machine.Start(arguments.Program, arguments.GuestArguments);
            if (arguments.SigintAfter is { } sigintAt)
            {
                machine.SendSignalAt(2, sigintAt);
            }
        }
        catch (Exception problem) when (problem is ElfFormatException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            error.WriteLine($"kmlsim: cannot run {arguments.Program}: {problem.Message}");
            return CommandLine.UsageError;
        }

        RunResult result = machine.Run(arguments.MaxInstructions is { } n ? RunLimits.Instructions(n) : RunLimits.None);
        using (Stream stdout = Console.OpenStandardOutput())
        {
            stdout.Write(result.Stdout);
        }

        using (Stream stderr = Console.OpenStandardError())
        {
            stderr.Write(result.Stderr);
        }

        int status = result.ShellExitStatus ?? (result.Outcome == RunOutcome.Limit ? LimitStatus : ErrorStatus);
        if (result.Message is not null)
        {
            error.WriteLine($"kmlsim: {result.Message}");
        }

        if (arguments.JsonPath is { } path)
        {
            try
            {
                JsonReport.Write(path, result, status);
            }
            catch (Exception problem) when (problem is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"kmlsim: cannot write the JSON report {path}: {problem.Message}");
                return CommandLine.UsageError;
            }
        }

        return status;
    }

    private static byte[] ReadStdin()
    {
        using var buffer = new MemoryStream();
        Console.OpenStandardInput().CopyTo(buffer);
        return buffer.ToArray();
    }
}
