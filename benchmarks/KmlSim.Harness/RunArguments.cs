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
    /// <summary>The kernel (<c>--mode</c>).</summary>
    public KernelMode Mode { get; init; } = KernelMode.Stock;

    /// <summary>Installs the program under /trusted/bin/ and runs it from there (<c>--trusted</c>).</summary>
    public bool Trusted { get; init; }

    /// <summary>The instruction count at which the host sends SIGINT to the first process (<c>--sigint-after</c>).</summary>
    public long? SigintAfter { get; init; }

    /// <summary>A host file whose bytes are the guest's standard input (<c>--stdin</c>).</summary>
    public string? StdinPath { get; init; }

    /// <summary>Host directories mapped read-only into the guest's file system (<c>--map HOSTDIR=GUESTDIR</c>).</summary>
    public IReadOnlyList<(string Host, string Guest)> Mappings { get; init; } = [];

    /// <summary>Parses what follows <c>run</c>: options, then <c>--</c> (optional), the ELF and its arguments.</summary>
    /// <exception cref="UsageException">The arguments are wrong.</exception>
    public static RunArguments Parse(ReadOnlySpan<string> args)
    {
        string? json = null, stdin = null;
        long? maxInstructions = null, sigintAfter = null;
        KernelMode mode = KernelMode.Stock;
        bool trusted = false;
        CpuProfile? timing = CpuProfiles.Opteron850;
        var mappings = new List<(string, string)>();
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

            if (option == "--trusted")
            {
                trusted = true;
                continue;
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
                case "--max-instructions":
                    maxInstructions = PositiveNumber(option, value);
                    break;
                case "--sigint-after":
                    sigintAfter = PositiveNumber(option, value);
                    break;
                case "--stdin":
                    stdin = value;
                    break;
                case "--mode":
                    mode = value switch
                    {
                        "stock" => KernelMode.Stock,
                        "kml" => KernelMode.Kml,
                        "kml-without-ist" => KernelMode.KmlWithoutIst,
                        "emulation" => KernelMode.SyscallEmulation,
                        _ => throw new UsageException($"--mode '{value}' is not one of stock, kml, kml-without-ist, emulation"),
                    };
                    break;
                case "--map" when value.IndexOf('=') is > 0 and int at && at < value.Length - 1:
                    mappings.Add((value[..at], value[(at + 1)..]));
                    break;
                case "--map":
                    throw new UsageException($"--map needs HOSTDIR=GUESTDIR, not '{value}'");
                default:
                    throw new UsageException($"unknown option '{option}'");
            }
        }

        if (i >= args.Length)
        {
            throw new UsageException("no ELF executable given");
        }

        if (sigintAfter is not null && mode == KernelMode.SyscallEmulation)
        {
            throw new UsageException("--sigint-after needs a simulated kernel (not --mode emulation)");
        }

        return new RunArguments(args[i], args[(i + 1)..].ToArray(), json, maxInstructions, timing)
        {
            Mode = mode,
            Trusted = trusted,
            SigintAfter = sigintAfter,
            StdinPath = stdin,
            Mappings = mappings,
        };
    }

    private static long PositiveNumber(string option, string value) =>
        long.TryParse(value, out long n) && n > 0 ? n : throw new UsageException($"{option} needs a positive whole number, not '{value}'");
}
