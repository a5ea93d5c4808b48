using KmlSim.Timing.Profiles;

namespace KmlSim.Harness;

/// <summary>The parsed arguments of <c>kmlsim run</c>.</summary>
/// <param name="Program">The guest executable.</param>
/// <param name="GuestArguments">Its arguments (argv[1..]).</param>
/// <param name="JsonPath">Where to write the JSON report, if anywhere.</param>
/// <param name="MaxInstructions">The instruction limit, if any.</param>
/// <param name="Timing">The timing profile (<c>--timing opteron850</c>, the default), or null for <c>--timing none</c>.</param>
internal sealed record RunArguments(string Program, IReadOnlyList<string> GuestArguments, string? JsonPath, long? MaxInstructions, CpuProfile? Timing)
{
    /// <summary>Parses what follows <c>run</c>: options, then <c>--</c> (optional), the ELF and its arguments.</summary>
    /// <exception cref="UsageException">The arguments are wrong.</exception>
    public static RunArguments Parse(ReadOnlySpan<string> args)
    {
        string? json = null;
        long? maxInstructions = null;
        CpuProfile? timing = CpuProfiles.Opteron850;
        int i = 0;
        for (; i < args.Length; i++)
        {
            string option = args[i];
            if (option == "--")
            {
                i++;
                break;
            }

            if (!option.StartsWith('-'))
            {
                break;
            }

            string value = i + 1 < args.Length ? args[++i] : throw new UsageException($"{option} needs a value");
            switch (option)
            {
                case "--timing" when value == "none":
                    timing = null;
                    break;
                case "--timing" when value == CpuProfiles.Opteron850.Name:
                    timing = CpuProfiles.Opteron850;
                    break;
                case "--timing":
                    throw new UsageException($"--timing '{value}' is not a profile: use 'opteron850' or 'none'");
                case "--json":
                    json = value;
                    break;
                case "--max-instructions" when long.TryParse(value, out long n) && n > 0:
                    maxInstructions = n;
                    break;
                case "--max-instructions":
                    throw new UsageException($"--max-instructions needs a positive whole number, not '{value}'");
                default:
                    throw new UsageException($"unknown option '{option}'");
            }
        }

        if (i >= args.Length)
        {
            throw new UsageException("no ELF executable given");
        }

        return new RunArguments(args[i], args[(i + 1)..].ToArray(), json, maxInstructions, timing);
    }
}
