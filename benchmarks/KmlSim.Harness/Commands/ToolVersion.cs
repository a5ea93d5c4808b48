using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace KmlSim.Harness;

/// <summary>
/// kmlsim's version: the informational version of this assembly (the package version and the commit it was
/// built from). <c>--version</c> prints it; System.CommandLine's own action would print the entry
/// assembly's, which is the test host's when the command line runs inside the tests.
/// </summary>
internal sealed class ToolVersion : SynchronousCommandLineAction
{
    /// <summary>The version text, e.g. <c>0.1.0+9af7136...</c>.</summary>
    public static string Text { get; } =
        typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ToolVersion).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(Text);
        return 0;
    }
}
