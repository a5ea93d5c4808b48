using System.CommandLine;

namespace KmlSim.Harness;

/// <summary>
/// Ends kmlsim's options where a command's guest program begins: inserts <c>--</c> before the first token
/// that is neither an option nor an option's value, for commands with a <see cref="GuestProgramArgument"/>.
/// Without it System.CommandLine would read an option anywhere on the line, and <c>kmlsim run prog -v</c>
/// would be a kmlsim error instead of the guest's <c>-v</c>.
/// </summary>
internal static class GuestSeparator
{
    /// <summary>
    /// The tokens, with <c>--</c> inserted before the guest program when the command takes one and none was
    /// given. When an unknown option stands before the program the line is wrong whatever follows, so the
    /// program and its arguments are left out: the parse then reports only that option, with suggestions.
    /// </summary>
    public static IReadOnlyList<string> Insert(RootCommand root, IReadOnlyList<string> args)
    {
        Command? command = args.Count > 0 ? root.Subcommands.FirstOrDefault(c => c.Name == args[0]) : null;
        if (command is null || !command.Arguments.OfType<GuestProgramArgument>().Any())
        {
            return args;
        }

        Dictionary<string, Option> options = command.Options.Concat(root.Options)
            .SelectMany(option => option.Aliases.Append(option.Name).Select(name => (name, option)))
            .ToDictionary(entry => entry.name, entry => entry.option, StringComparer.Ordinal);
        bool unknownOption = false;
        for (int i = 1; i < args.Count; i++)
        {
            string token = args[i];
            if (token == "--")
            {
                return unknownOption ? args.Take(i).ToArray() : args;
            }

            if (token.Length > 1 && token[0] == '-')
            {
                string name = token.Split('=', ':')[0];
                unknownOption |= !options.ContainsKey(name);

                // "--opt value" consumes the next token, "--opt=value" is one token, and a flag takes a
                // value only when one follows ("--trusted false"), as System.CommandLine reads it.
                if (options.TryGetValue(token, out Option? option) && i + 1 < args.Count && TakesValue(option, args[i + 1]))
                {
                    i++;
                }

                continue;
            }

            return unknownOption ? args.Take(i).ToArray() : [.. args.Take(i), "--", .. args.Skip(i)];
        }

        return args;
    }

    private static bool TakesValue(Option option, string next) =>
        option.ValueType == typeof(bool) ? bool.TryParse(next, out _) : option.Arity.MaximumNumberOfValues > 0;
}
