namespace KmlSim.Harness;

/// <summary>The <c>kmlsim</c> command: picks the subcommand and turns usage errors into exit status 2.</summary>
internal static class CommandLine
{
    /// <summary>Exit status for bad arguments and inputs that cannot be run (missing file, not an executable).</summary>
    public const int UsageError = 2;

    /// <summary>The usage text.</summary>
    public static string Usage => UsageTemplate
        .Replace("WORKLOADS", string.Join(", ", WorkloadCatalog.Names), StringComparison.Ordinal)
        .Replace("DEFAULTS", string.Join(", ", WorkloadCatalog.DefaultSet), StringComparison.Ordinal)
        .Replace("PARAMETERS", string.Join(", ", ProfileParameter.Names), StringComparison.Ordinal);

    private const string UsageTemplate = """
        usage: kmlsim run [--mode stock|kml|kml-without-ist|emulation] [--trusted] [--sigint-after N]
                          [--stdin FILE] [--map HOSTDIR=GUESTDIR]... [--timing opteron850|none] [--json FILE]
                          [--max-instructions N] -- ELF [args...]
               kmlsim compare [--workloads LIST] [--iterations N] [--repeat K] [--seed S]
                              [--json FILE] [--csv FILE] [--markdown FILE] [--svg FILE]
               kmlsim wisconsin [--loops N] [--cache PAGES|default] [--queries LIST] [--variant V]
                                [--repeat K] [--seed S] [--json FILE] [--csv FILE] [--markdown FILE] [--svg FILE]
               kmlsim sweep --param NAME --values A,B,... [--workload W] [--iterations N] [--shard I/N]
                            [--repeat K] [--seed S] --csv FILE
               kmlsim merge SHARD.csv... --csv FILE
               kmlsim demo

          run    runs a static x86-64 Linux executable (ET_EXEC or static-PIE, glibc or musl) in the
                 simulator; its stdout and stderr become kmlsim's. The exit status is the guest's exit
                 code, 128 + signal when a signal killed it, 124 when the instruction limit was reached,
                 125 when the simulator itself could not go on, 2 for bad arguments or a file that is not
                 a static x86-64 executable.
                 --mode M                the kernel: stock (default), kml (Kernel Mode Linux: programs
                                         under /trusted run in ring 0), kml-without-ist (KML without
                                         its IST fix), emulation (no kernel code: fastest, one process)
                 --trusted               runs the program as /trusted/bin/NAME
                 --sigint-after N        the host sends SIGINT after N instructions, as a Ctrl-C would
                 --stdin FILE            the guest's standard input (default: kmlsim's, if redirected)
                 --map HOSTDIR=GUESTDIR  maps a host directory read-only into the guest's file system
                 --timing opteron850     charges cycles with the Opteron 850 (K8) timing model (default)
                 --timing none           functional simulation only (fastest; no cycles)
                 --json FILE             writes a JSON report of the run to FILE
                 --max-instructions N    stops the guest after N instructions
          compare  runs each workload under Stock and under Kml (as a trusted program under /trusted)
                 with the Opteron 850 timing model; prints cycles total/user/system per mode, the change,
                 system calls per mode and the cycles saved per system call. Progress goes to stderr.
                 --workloads LIST        comma-separated, from: WORKLOADS
                                         (default: DEFAULTS)
                 --iterations N          microbenchmark iterations measured (default 10000): each runs
                                         N + N/10 and N/10 times and the difference is reported
                 --repeat K, --seed S    K runs per mode with seeds S..S+K-1 (default 1 run, seed 1):
                                         mean and 95% confidence interval (Student t)
                 --json/--csv/--markdown/--svg FILE   reports (CSV: one row per run; SVG: charts)
          wisconsin  the seed article's experiment: the Wisconsin analog (SQLite, client and server over a
                 socket pair, both trusted) under Stock and Kml; prints total/user/system CPU seconds at
                 2.4 GHz for both with the change, also scaled to 10,000 loops, system calls and interrupts
                 per mode, and the saved cycles by cause (SYSCALL, SYSRET, SWAPGS, entry/exit, ...).
                 --loops N               loops (default 1; with 2 or more a 1-loop run is added so that
                                         only the loops are scaled)
                 --cache PAGES|default   SQLite cache in pages (default 2: MyISAM-like, a pread64 per row)
                 --queries LIST          query numbers 1-10 (SELECTs) and 11 (the 14 writes); default all
                 --variant V             client-server (default), single, memory (in-memory control)
          sweep    runs one workload (default getppid) at each value of one parameter and writes a CSV
                 row per point, mode and seed. NAME is 'mode' (values: kernel modes, each run alone) or a
                 CpuProfile parameter (Stock and Kml at each point, the Opteron 850 profile with that one
                 value changed): PARAMETERS
                 --shard I/N             runs only points k with k mod N = I - 1 (1 <= I <= N), e.g. one
                                         task of a cluster job array; join the shards with merge
          merge    joins sweep shards into one CSV ordered by point; the headers must match and no
                 (point, mode, seed) may appear twice
          demo   builds the bundled demo guest with gcc -O2 -static (once, cached) and runs it
        """;

    /// <summary>
    /// True when -h or --help appears among kmlsim's own options (before a "--": what follows it belongs
    /// to the guest), so `kmlsim wisconsin --help` shows the usage instead of an unknown-option error.
    /// </summary>
    private static bool AsksForHelp(string[] args)
    {
        foreach (string argument in args)
        {
            if (argument == "--")
            {
                return false;
            }

            if (argument is "-h" or "--help")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Runs the command line and returns the process exit status.</summary>
    public static int Execute(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "help" || AsksForHelp(args))
        {
            (args.Length == 0 ? error : output).WriteLine(Usage);
            return args.Length == 0 ? UsageError : 0;
        }

        try
        {
            return args[0] switch
            {
                "run" => RunCommand.Execute(RunArguments.Parse(args.AsSpan(1)), error),
                "compare" => CompareCommand.Execute(CompareArguments.Parse(args.AsSpan(1)), output, error),
                "wisconsin" => WisconsinCommand.Execute(WisconsinArguments.Parse(args.AsSpan(1)), output, error),
                "sweep" => SweepCommand.Execute(SweepArguments.Parse(args.AsSpan(1)), error),
                "merge" => MergeCommand.Execute(args.AsSpan(1), error),
                "demo" when args.Length == 1 => DemoCommand.Execute(error),
                _ => throw new UsageException($"unknown command '{string.Join(' ', args)}'"),
            };
        }
        catch (UsageException problem)
        {
            error.WriteLine($"kmlsim: {problem.Message}");
            error.WriteLine(Usage);
            return UsageError;
        }
    }
}
