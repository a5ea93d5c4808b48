using System.Text;

namespace KmlSim.Tests.Kernel.Guests;

/// <summary>
/// Debian's busybox-static (a program nobody on this project wrote, built by Debian's toolchain for any
/// x86-64) runs its applets simulated with the same stdout and exit code as on the host. Each applet reads
/// the same input files (a host temporary directory natively, the same bytes at /data in the simulated file
/// system, the working directory of both) and the same stdin. Skipped, saying why, when /bin/busybox is
/// missing (.ci/run installs the busybox-static package).
/// </summary>
public class BusyboxAppletTests
{
    private const string Busybox = "/bin/busybox";

    private static readonly string Text = "the quick brown fox\njumps over\nthe lazy dog\nThe End\n\tindented line\n";

    private static readonly Dictionary<string, byte[]> Files = new()
    {
        ["text.txt"] = Encoding.ASCII.GetBytes(Text),
        ["other.txt"] = Encoding.ASCII.GetBytes("the quick brown fox\njumps under\nthe lazy dog\n"),
        ["sorted1.txt"] = Encoding.ASCII.GetBytes("apple\nbanana\ncherry\ncherry\ndate\n"),
        ["sorted2.txt"] = Encoding.ASCII.GetBytes("banana\ncherry\nelder\n"),
        ["numbers.txt"] = Encoding.ASCII.GetBytes("10\n-3\n2.5\n100\n7\n0\n"),
        ["binary.bin"] = [.. Enumerable.Range(0, 256).Select(i => (byte)((i * 37) + 11)), .. Encoding.ASCII.GetBytes("printable string here\0")],
        ["dos.txt"] = Encoding.ASCII.GetBytes("line one\r\nline two\r\n"),
    };

    /// <summary>Applet name (the test's name) and its arguments; stdin is <see cref="Text"/> for all.</summary>
    private static readonly (string Name, string[] Arguments)[] Applets =
    [
        ("echo", ["echo", "hello", "world"]),
        ("printf", ["printf", "%d-%s-%x-%5.2f\n", "42", "x", "255", "3.14159"]),
        ("cat", ["cat", "text.txt"]),
        ("wc", ["wc", "text.txt"]),
        ("wc -l", ["wc", "-l", "text.txt"]),
        ("wc -c", ["wc", "-c", "binary.bin"]),
        ("head", ["head", "-n", "2", "text.txt"]),
        ("head -c", ["head", "-c", "10", "text.txt"]),
        ("tail", ["tail", "-n", "2", "text.txt"]),
        ("sort", ["sort", "text.txt"]),
        ("sort -r", ["sort", "-r", "text.txt"]),
        ("sort -n", ["sort", "-n", "numbers.txt"]),
        ("uniq", ["uniq", "sorted1.txt"]),
        ("uniq -c", ["uniq", "-c", "sorted1.txt"]),
        ("cut", ["cut", "-d", " ", "-f", "2", "text.txt"]),
        ("cut -c", ["cut", "-c", "1-5", "text.txt"]),
        ("tr", ["tr", "a-z", "A-Z"]),
        ("tr -d", ["tr", "-d", "aeiou"]),
        ("rev", ["rev", "text.txt"]),
        ("tac", ["tac", "text.txt"]),
        ("nl", ["nl", "text.txt"]),
        ("od", ["od", "-x", "binary.bin"]),
        ("od -c", ["od", "-c", "text.txt"]),
        ("hexdump", ["hexdump", "-C", "binary.bin"]),
        ("xxd", ["xxd", "binary.bin"]),
        ("md5sum", ["md5sum", "text.txt", "binary.bin"]),
        ("sha1sum", ["sha1sum", "text.txt", "binary.bin"]),
        ("sha256sum", ["sha256sum", "text.txt", "binary.bin"]),
        ("sha512sum", ["sha512sum", "text.txt", "binary.bin"]),
        ("sha3sum", ["sha3sum", "text.txt"]),
        ("cksum", ["cksum", "text.txt", "binary.bin"]),
        ("sum", ["sum", "binary.bin"]),
        ("base64", ["base64", "binary.bin"]),
        ("expr", ["expr", "6", "*", "7"]),
        ("expr false", ["expr", "0", "+", "0"]),
        ("seq", ["seq", "1", "10"]),
        ("seq -s", ["seq", "-s", ",", "5"]),
        ("seq fractions", ["seq", "0.5", "0.25", "2"]),
        ("basename", ["basename", "/a/b/c.txt", ".txt"]),
        ("dirname", ["dirname", "/a/b/c.txt"]),
        ("true", ["true"]),
        ("false", ["false"]),
        ("test", ["test", "3", "-gt", "2"]),
        ("test false", ["test", "abc", "=", "abd"]),
        ("grep", ["grep", "fox", "text.txt"]),
        ("grep -c", ["grep", "-c", "o", "text.txt"]),
        ("grep -E", ["grep", "-E", "qu+ick|laz[y]", "text.txt"]),
        ("grep no match", ["grep", "zebra", "text.txt"]),
        ("sed", ["sed", "s/fox/cat/;s/the/THE/g", "text.txt"]),
        ("awk", ["awk", "{ print NR \": \" $2 }", "text.txt"]),
        ("awk arithmetic", ["awk", "BEGIN { x = 0; for (i = 1; i <= 1000; i++) x += i * 1.5 / 7; printf \"%.6f %d %e\\n\", x, x, x * 1e10 }"]),
        ("awk sort numbers", ["awk", "{ s += $1 } END { print s, s / NR }", "numbers.txt"]),
        ("factor", ["factor", "123456789", "1000000007", "600851475143"]),
        ("fold", ["fold", "-w", "7", "text.txt"]),
        ("expand", ["expand", "text.txt"]),
        ("paste", ["paste", "sorted1.txt", "sorted2.txt"]),
        ("comm", ["comm", "sorted1.txt", "sorted2.txt"]),
        ("diff", ["diff", "text.txt", "other.txt"]),
        ("cmp", ["cmp", "text.txt", "other.txt"]),
        ("strings", ["strings", "binary.bin"]),
        ("dos2unix", ["dos2unix", "-u"]),
        ("bc", ["bc"]),
        ("dc", ["dc", "-e", "2 64 ^ p 7 3 / p"]),
        ("sh arithmetic", ["sh", "-c", "x=$((3 * 7 + 100 / 7)); for i in 1 2 3; do echo \"$i $x\"; done; exit 3"]),
        ("sh case", ["sh", "-c", "for w in apple 42 zz; do case $w in [0-9]*) echo num;; a*) echo a-word;; *) echo other;; esac; done"]),
        ("sleep", ["sleep", "0"]),
        ("env", ["env", "-i", "A=1", "B=two", Busybox, "printenv"]),
        ("tee", ["tee"]),
        ("dd", ["dd", "if=text.txt", "bs=4", "count=3", "status=none"]),
    ];

    /// <summary>The bc program fed to the bc applet through stdin in its case (busybox bc reads stdin).</summary>
    private const string BcInput = "scale=20\n4*a(1)\n2^100\nsqrt(2)\n";

    private static IEnumerable<TestCaseData> Cases() => Applets.Select(a => new TestCaseData(a.Name, a.Arguments).SetName($"busybox {a.Name}"));

    [TestCaseSource(nameof(Cases))]
    public void AppletRunsAsOnTheHost(string name, string[] arguments)
    {
        if (!File.Exists(Busybox))
        {
            Assert.Ignore($"{Busybox} is missing: install Debian's busybox-static package (.ci/run does)");
        }

        byte[] stdin = Encoding.ASCII.GetBytes(name == "bc" ? BcInput : name == "dos2unix" ? "a\r\nb\r\n" : Text);
        string directory = Directory.CreateTempSubdirectory("kmlsim-busybox-").FullName;
        try
        {
            foreach ((string file, byte[] contents) in Files)
            {
                File.WriteAllBytes(Path.Combine(directory, file), contents);
            }

            (byte[] nativeStdout, int nativeExit) = RunNative(directory, arguments, stdin);
            var machine = new Machine(new MachineOptions { WorkingDirectory = "/data", Stdin = stdin });
            machine.FileSystem.CreateDirectory("/data");
            machine.FileSystem.MapHostFile(Busybox, Busybox); // for the applets that execute it again
            foreach ((string file, byte[] contents) in Files)
            {
                machine.FileSystem.WriteFile("/data/" + file, contents);
            }

            machine.Start(Busybox, arguments);
            RunResult simulated = machine.Run(RunLimits.Instructions(GuestRuns.InstructionBudget));
            Assert.Multiple(() =>
            {
                Assert.That(simulated.Outcome, Is.EqualTo(RunOutcome.Exited), simulated.Message);
                Assert.That(Encoding.Latin1.GetString(simulated.Stdout), Is.EqualTo(Encoding.Latin1.GetString(nativeStdout)));
                Assert.That(simulated.ExitCode, Is.EqualTo(nativeExit));
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>At least 50 applets are compared (the acceptance bar).</summary>
    [Test]
    public void FiftyAppletsOrMoreAreCompared() =>
        Assert.That(Applets.Select(a => a.Arguments[0]).Distinct().Count(), Is.GreaterThanOrEqualTo(50));

    private static (byte[] Stdout, int ExitCode) RunNative(string directory, string[] arguments, byte[] stdin)
    {
        var start = new System.Diagnostics.ProcessStartInfo(Busybox, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        start.Environment.Clear();
        using var process = System.Diagnostics.Process.Start(start)!;
        try
        {
            process.StandardInput.BaseStream.Write(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // an applet that exits without reading its input closes the pipe; what it printed still counts
        }

        var stdout = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        process.StandardError.ReadToEnd();
        copy.Wait();
        process.WaitForExit();
        return (stdout.ToArray(), process.ExitCode);
    }
}
