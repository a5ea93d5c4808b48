using System.CommandLine;
using System.CommandLine.Invocation;

namespace KmlSim.Harness;

/// <summary>
/// The <c>kmlsim</c> command line on System.CommandLine: per-command help, <c>--version</c>,
/// <c>--opt=value</c>, suggestions for a misspelt option or command. A parse error prints the problem, the
/// suggestions and where help is, without the whole usage, and exits with <see cref="UsageError"/>.
/// A new command is one file with a <c>Create()</c> that returns its <see cref="Command"/>, listed in <see cref="Root"/>.
/// </summary>
internal static class CommandLine
{
    /// <summary>Exit status for bad arguments and inputs that cannot be run (missing file, not an executable).</summary>
    public const int UsageError = 2;

    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand Root { get; } = CreateRoot();

    /// <summary>
    /// Response files (<c>@FILE</c>) are off: a guest argument that starts with '@' is the guest's, and
    /// no kmlsim command line is long enough to need them.
    /// </summary>
    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    /// <summary>Parses <paramref name="args"/> (with the guest's part of <c>run</c> set apart, see <see cref="GuestSeparator"/>).</summary>
    public static ParseResult Parse(IReadOnlyList<string> args) => Root.Parse(GuestSeparator.Insert(Root, args), Parsing);

    /// <summary>Runs the command line and returns the process exit status.</summary>
    public static int Execute(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ParseResult parsed = Parse(args);
        var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (parsed.Errors.Count > 0)
        {
            if (parsed.Action is ParseErrorAction errorAction)
            {
                errorAction.ShowHelp = false;
                errorAction.ShowTypoCorrections = true;
            }

            // Both to the error stream: System.CommandLine writes its suggestions to the output.
            parsed.Invoke(new InvocationConfiguration { Output = error, Error = error });
            error.WriteLine(HelpHint(parsed));
            return UsageError;
        }

        try
        {
            return parsed.Invoke(invocation);
        }
        catch (UsageException problem)
        {
            error.WriteLine($"kmlsim: {problem.Message}");
            error.WriteLine(HelpHint(parsed));
            return UsageError;
        }
    }

    private static RootCommand CreateRoot()
    {
        var root = new RootCommand(
            "kmlsim: a cycle-approximate AMD Opteron 850 (K8) simulator running a simulated Linux, to measure what " +
            "crossing into the kernel costs and what Kernel Mode Linux (KML) saves.")
        {
            RunCommand.Create(),
            CompareCommand.Create(),
            WisconsinCommand.Create(),
            SweepCommand.Create(),
            MergeCommand.Create(),
            DemoCommand.Create(),
        };

        // The name in help is kmlsim's however it was started (dotnet kmlsim.dll, the test host).
        root.HelpName = "kmlsim";
        root.Options.OfType<VersionOption>().Single().Action = new ToolVersion();
        return root;
    }

    /// <summary>Where the help of the command that was parsed is.</summary>
    private static string HelpHint(ParseResult parsed)
    {
        Command command = parsed.CommandResult.Command;
        string name = command == Root ? "kmlsim" : $"kmlsim {command.Name}";
        return $"See '{name} --help'.";
    }
}
