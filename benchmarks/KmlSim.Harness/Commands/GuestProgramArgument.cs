using System.CommandLine;
using System.CommandLine.Parsing;

namespace KmlSim.Harness;

/// <summary>
/// A guest program and its arguments (argv[0] is the host path of the ELF), or only the arguments when an
/// option names the program. Everything from the first of them on is the guest's, as with <c>env</c> or <c>timeout</c>: <see cref="GuestSeparator"/> ends kmlsim's
/// options there, so <c>kmlsim run prog --help</c> passes <c>--help</c> to the guest.
/// </summary>
internal sealed class GuestProgramArgument : Argument<string[]>
{
    /// <summary>An argument named <paramref name="name"/> (shown as <paramref name="helpName"/>) that must be given (<paramref name="required"/>) or may be absent.</summary>
    public GuestProgramArgument(string name, string helpName, string description, bool required)
        : base(name)
    {
        Description = description;
        HelpName = helpName;
        Arity = required ? ArgumentArity.OneOrMore : ArgumentArity.ZeroOrMore;

        // System.CommandLine gives an unknown option before the program to this argument (as a program
        // path); it is a misspelt kmlsim option, so it is reported as one, with the options it is close to.
        Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.Tokens[0].Value.StartsWith('-') && result.Parent is CommandResult command)
            {
                result.AddError(Suggestions.UnknownOption(result.Tokens[0].Value, command.Command));
            }
        });
    }
}
