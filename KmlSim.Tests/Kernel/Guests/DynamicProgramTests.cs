using System.Text;
using KmlSim.Guests;
using HostProcess = System.Diagnostics.Process;
using ProcessStartInfo = System.Diagnostics.ProcessStartInfo;

namespace KmlSim.Tests.Kernel.Guests;

/// <summary>
/// Debian's own dynamically linked programs, and a dynamic C guest, run with the host's ld.so and shared
/// libraries (the host's /usr, /lib*, /bin, /sbin, /etc shown read-only, as kmlsim run does) and print what
/// they print natively, under the stock kernel and under KML as /trusted programs. Native runs get an empty
/// environment, as the guest does, so that locale and the like agree.
/// </summary>
public class DynamicProgramTests
{
    private static readonly KernelMode[] Modes = [KernelMode.Stock, KernelMode.Kml];

    private static MachineOptions Options(KernelMode mode, byte[]? stdin = null) => new()
    {
        KernelMode = mode,
        Trusted = mode == KernelMode.Kml,
        Root = "/",
        RootEntries = MachineOptions.HostSystemEntries,
        Stdin = stdin ?? [],
    };

    [TestCaseSource(nameof(Modes))]
    public void ADynamicCProgramFindsItsAuxiliaryVectorAndDlopensLibm(KernelMode mode)
    {
        string binary = GuestRuns.Build("dynlink", GuestToolchain.GlibcDynamic);
        AssertSameAsNative(binary, [], [], Options(mode), machine => machine.Start(binary));
    }

    [TestCaseSource(nameof(Modes))]
    public void LsDashLListsADirectoryAsNatively(KernelMode mode)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"kmlsim-ls-{Environment.ProcessId}-{mode}");
        Directory.CreateDirectory(Path.Combine(directory, "subdirectory"));
        try
        {
            File.WriteAllText(Path.Combine(directory, "notes.txt"), "twelve bytes");
            File.WriteAllBytes(Path.Combine(directory, "empty"), []);
            File.CreateSymbolicLink(Path.Combine(directory, "link"), "notes.txt");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path.Combine(directory, "notes.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            }

            // Times in the simulated clock's past (it starts in 2005), so that ls prints the year both ways.
            // (touch -h: .NET sets a link's target's times, never the link's own)
            foreach (string entry in Directory.EnumerateFileSystemEntries(directory).Append(directory))
            {
                using var touch = HostProcess.Start("touch", ["-h", "-d", "2001-02-03T04:05:06Z", entry])!;
                touch.WaitForExit();
            }

            AssertSameAsNative("/bin/ls", ["-l", directory], [], Options(mode), machine =>
            {
                machine.FileSystem.MapHostDirectory("/data", directory);
                machine.Start("/bin/ls", ["-l", "/data"]);
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestCaseSource(nameof(Modes))]
    public void Sqlite3RunsSqlFromStandardInput(KernelMode mode)
    {
        if (!File.Exists("/usr/bin/sqlite3"))
        {
            Assert.Ignore("/usr/bin/sqlite3 is missing: install the Debian package sqlite3 (.ci/run does)");
        }

        byte[] sql = Encoding.UTF8.GetBytes("""
            create table t(id integer primary key, name text, score real);
            insert into t(name, score) values ('ada', 3.5), ('brian', 1.25), ('grace', 7);
            select id, upper(name), score * 2 from t order by score desc;
            select count(*), sum(score), group_concat(name, '+') from t;
            """);
        AssertSameAsNative("/usr/bin/sqlite3", [], sql, Options(mode, sql), machine => machine.Start("/usr/bin/sqlite3"));
    }

    [TestCaseSource(nameof(Modes))]
    public void PerlLoadsAnXsModuleWithDlopen(KernelMode mode)
    {
        string[] arguments = ["-MPOSIX", "-e", "print floor(7.5), ' ', ceil(-1.5), ' ', strftime('%Y-%m-%d', gmtime(86400 * 365)), ' ', POSIX::strtol('ff', 16), qq{\n}"];
        AssertSameAsNative("/usr/bin/perl", arguments, [], Options(mode), machine => machine.Start("/usr/bin/perl", arguments));
    }

    private static void AssertSameAsNative(string program, string[] arguments, byte[] stdin, MachineOptions options, Action<Machine> start)
    {
        var (nativeStdout, nativeExit) = RunNative(program, arguments, stdin);
        var machine = new Machine(options);
        start(machine);
        RunResult simulated = machine.Run(RunLimits.Instructions(GuestRuns.InstructionBudget));
        TestContext.Out.WriteLine($"{Path.GetFileName(program)} {options.KernelMode}: {simulated.Instructions:N0} instructions, {simulated.Syscalls} system calls, ENOSYS: {string.Join(", ", simulated.UnimplementedSyscalls.Select(u => $"{u.Key} x{u.Value}"))}");
        Assert.Multiple(() =>
        {
            Assert.That(simulated.Outcome, Is.EqualTo(RunOutcome.Exited), simulated.Message + Encoding.UTF8.GetString(simulated.Stderr));
            Assert.That(Encoding.UTF8.GetString(simulated.Stdout), Is.EqualTo(nativeStdout));
            Assert.That(simulated.ExitCode, Is.EqualTo(nativeExit));
            Assert.That(Encoding.UTF8.GetString(simulated.Stderr), Is.Empty, "nothing on stderr, as natively");
            Assert.That(simulated.TranslatedSyscalls, options.Trusted ? Is.EqualTo(simulated.Syscalls) : Is.Zero);
        });
    }

    private static (string Stdout, int ExitCode) RunNative(string program, string[] arguments, byte[] stdin)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        using var process = HostProcess.Start(start)!;
        process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (stdout, process.ExitCode);
    }
}
