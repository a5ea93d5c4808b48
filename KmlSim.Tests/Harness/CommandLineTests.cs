using System.Text.Json;
using Iced.Intel;
using KmlSim.Harness;
using KmlSim.Kernel.Process;
using KmlSim.Tests.Kernel.Elf;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Harness;

/// <summary><c>kmlsim run</c>: exit statuses, usage errors, and the JSON report's contract.</summary>
public class CommandLineTests
{
    private readonly List<string> files = new();

    [TearDown]
    public void DeleteFiles()
    {
        foreach (string file in files)
        {
            File.Delete(file);
        }
    }

    private string TempFile(byte[]? contents = null)
    {
        string path = Path.GetTempFileName();
        files.Add(path);
        if (contents is not null)
        {
            File.WriteAllBytes(path, contents);
        }

        return path;
    }

    private string Program(Action<Assembler> build) => TempFile(ElfImageBuilder.Program(build));

    private static (int Status, string Errors) Kmlsim(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int status = CommandLine.Execute(args, output, errors);
        return (status, errors.ToString());
    }

    [TestCase("wisconsin --help", "kmlsim wisconsin [options]", "--loops", "--workloads")]
    [TestCase("compare -h", "kmlsim compare [<arguments>...] [options]", "--workloads", "--loops")]
    [TestCase("run --help", "kmlsim run <program>... [options]", "--max-instructions", "--workloads")]
    [TestCase("--help", "kmlsim [command] [options]", "wisconsin", "--max-instructions")]
    public void EachCommandHasItsOwnHelp(string commandLine, string usage, string ownOption, string otherCommandsOption)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int status = CommandLine.Execute(commandLine.Split(' '), output, errors);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.Zero);
            Assert.That(output.ToString(), Does.Contain(usage).And.Contain(ownOption));
            Assert.That(output.ToString(), Does.Not.Contain(otherCommandsOption), "only this command's options");
            Assert.That(errors.ToString(), Is.Empty);
        });
    }

    [Test]
    public void VersionIsTheAssemblysInformationalVersion()
    {
        var output = new StringWriter();
        int status = CommandLine.Execute(["--version"], output, new StringWriter());
        string expected = typeof(CommandLine).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.Zero);
            Assert.That(output.ToString().Trim(), Is.EqualTo(expected));
            Assert.That(expected, Does.Match(@"^\d+\.\d+\.\d+"), "a semantic version");
        });
    }

    [TestCase("run --modee kml x", "unknown option '--modee': did you mean --mode?")]
    [TestCase("run --tim=none x", "did you mean --timing?")]
    [TestCase("compare --workloadz getppid", "unknown option '--workloadz': did you mean --workloads?")]
    [TestCase("comapre", "Did you mean one of the following?")]
    public void AMisspeltOptionOrCommandGetsASuggestion(string commandLine, string suggestion)
    {
        var (status, errors) = Kmlsim(commandLine.Split(' '));
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(CommandLine.UsageError));
            Assert.That(errors, Does.Contain(suggestion));
        });
    }

    [Test]
    public void OptionsTakeTheirValueAfterAnEqualsSign()
    {
        string elf = Program(a =>
        {
            var loop = a.CreateLabel();
            a.Label(ref loop);
            a.mov(eax, 39); // getpid, forever
            a.syscall();
            a.jmp(loop);
        });
        string json = TempFile();
        var (status, errors) = Kmlsim("run", "--mode=kml", "--trusted", "--max-instructions=100000", "--timing=none", $"--json={json}", elf);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(RunCommand.LimitStatus), errors);
            Assert.That(report.RootElement.GetProperty("instructions").GetInt64(), Is.EqualTo(100_000));
            Assert.That(report.RootElement.GetProperty("translatedSyscalls").GetInt64(), Is.GreaterThan(0), "--mode=kml with --trusted runs it in ring 0");
        });
    }

    [TestCase("--help")]
    [TestCase("-v")]
    [TestCase("--mode")]
    public void WhatFollowsTheProgramIsTheGuestsEvenWithoutTheSeparator(string guestArgument)
    {
        // argc is at [rsp] on entry: the guest exits with it.
        string elf = Program(a =>
        {
            a.mov(edi, __dword_ptr[rsp]);
            a.mov(eax, 231);
            a.syscall();
        });
        var (status, errors) = Kmlsim("run", "--timing", "none", elf, guestArgument, "x");
        Assert.That(status, Is.EqualTo(3), errors);
    }

    [Test]
    public void HelpAfterTheGuestSeparatorBelongsToTheGuest()
    {
        string elf = Program(a =>
        {
            a.mov(eax, 231);
            a.mov(edi, 17);
            a.syscall();
        });
        var (status, _) = Kmlsim("run", "--timing", "none", "--", elf, "--help");
        Assert.That(status, Is.EqualTo(17));
    }

    [Test]
    public void TheExitStatusIsTheGuestsExitCode()
    {
        string elf = Program(a =>
        {
            a.mov(eax, 231);
            a.mov(edi, 17);
            a.syscall();
        });
        Assert.That(Kmlsim("run", "--", elf).Status, Is.EqualTo(17));
    }

    [Test]
    public void ASignalGivesOneHundredTwentyEightPlusItsNumberAndTheJsonReport()
    {
        string elf = Program(a => a.ud2());
        string json = TempFile();
        var (status, errors) = Kmlsim("run", "--timing", "none", "--json", json, "--", elf);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = report.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(132));
            Assert.That(errors, Does.Contain("SIGILL").And.Contain("ud2"));
            Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
            {
                "outcome", "exitCode", "signal", "instructions", "hostSeconds", "cycles", "syscalls", "translatedSyscalls", "timerInterrupts", "unimplementedSyscalls",
                "syscallsByName", "processes",
            }), "issue 2's contract, then the per-system-call and per-process fields added after it");
            Assert.That(root.GetProperty("outcome").GetString(), Is.EqualTo("signaled"));
            Assert.That(root.GetProperty("exitCode").GetInt32(), Is.EqualTo(132));
            Assert.That(root.GetProperty("signal").GetInt32(), Is.EqualTo(4));
            Assert.That(root.GetProperty("cycles").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(root.GetProperty("hostSeconds").GetDouble(), Is.GreaterThanOrEqualTo(0));
        });
    }

    [Test]
    public void TheJsonReportOfAnExitCountsSyscallsAndNamesUnimplementedOnes()
    {
        string elf = Program(a =>
        {
            a.mov(eax, 165); // mount: not implemented
            a.syscall();
            a.mov(eax, 39); // getpid
            a.syscall();
            a.mov(eax, 231);
            a.xor(edi, edi);
            a.syscall();
        });
        string json = TempFile();
        Assert.That(Kmlsim("run", "--json", json, elf).Status, Is.Zero);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = report.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("outcome").GetString(), Is.EqualTo("exited"));
            Assert.That(root.GetProperty("exitCode").GetInt32(), Is.Zero);
            Assert.That(root.GetProperty("signal").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(root.GetProperty("syscalls").GetInt64(), Is.EqualTo(3));
            // 7 user instructions, two stock SYSCALL round trips of 45 kernel instructions each and the
            // entry of exit_group up to its body, 24 (see EntryPathCountTests for the step counts).
            Assert.That(root.GetProperty("instructions").GetInt64(), Is.EqualTo(7 + (2 * 45) + 24));
            Assert.That(root.GetProperty("unimplementedSyscalls").GetProperty("mount").GetInt64(), Is.EqualTo(1));
            var byName = new Dictionary<string, long> { ["exit_group"] = 1, ["getpid"] = 1, ["mount"] = 1 };
            Assert.That(root.GetProperty("syscallsByName").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()), Is.EqualTo(byName));
            JsonElement process = root.GetProperty("processes").EnumerateArray().Single();
            Assert.That(process.GetProperty("pid").GetInt32(), Is.EqualTo(ProcessIdentity.ProcessId));
            Assert.That(process.GetProperty("parentPid").GetInt32(), Is.EqualTo(ProcessIdentity.ParentProcessId));
            Assert.That(process.GetProperty("executable").GetString(), Is.EqualTo(Machine.HostProgramDirectory + Path.GetFileName(elf)), "its guest path, not the host's");
            Assert.That(process.GetProperty("outcome").GetString(), Is.EqualTo("exited"));
            Assert.That(process.GetProperty("exitCode").GetInt32(), Is.Zero);
            Assert.That(process.GetProperty("signal").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(process.GetProperty("instructions").GetInt64(), Is.EqualTo(7 + (2 * 45) + 24), "the only process ran every instruction");
            Assert.That(process.GetProperty("syscalls").GetInt64(), Is.EqualTo(3));
            Assert.That(process.GetProperty("syscallsByName").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()), Is.EqualTo(byName));
            JsonElement cycles = root.GetProperty("cycles");
            Assert.That(cycles.GetProperty("user").GetInt64() + cycles.GetProperty("system").GetInt64(), Is.EqualTo(cycles.GetProperty("total").GetInt64()), "the default opteron850 timing splits all cycles");
            Assert.That(cycles.GetProperty("total").GetInt64(), Is.GreaterThanOrEqualTo(7 + (2 * 45) + 24));
            Assert.That(root.GetProperty("counters").GetProperty("instructions").GetInt64(), Is.EqualTo(7 + (2 * 45) + 24), "the timing model sees the kernel's entry and exit instructions too");
            long breakdown = root.GetProperty("breakdown").EnumerateObject().Sum(cause => cause.Value.GetInt64());
            Assert.That(breakdown, Is.EqualTo(cycles.GetProperty("total").GetInt64()), "the breakdown adds up to the total (no idle)");
            JsonElement getpid = root.GetProperty("perSyscall").GetProperty("getpid");
            Assert.That(getpid.GetProperty("count").GetInt64(), Is.EqualTo(1));
            Assert.That(getpid.GetProperty("breakdown").GetProperty("sysret").GetInt64(), Is.GreaterThanOrEqualTo(35), "its SYSRET (latency 35, reference §4)");
        });
    }

    [Test]
    public void TheInstructionLimitGivesOneHundredTwentyFour()
    {
        string elf = Program(a =>
        {
            var top = a.CreateLabel();
            a.Label(ref top);
            a.jmp(top);
        });
        string json = TempFile();
        Assert.That(Kmlsim("run", "--max-instructions", "1000", "--json", json, "--", elf).Status, Is.EqualTo(124));
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Multiple(() =>
        {
            Assert.That(report.RootElement.GetProperty("outcome").GetString(), Is.EqualTo("limit"));
            Assert.That(report.RootElement.GetProperty("instructions").GetInt64(), Is.EqualTo(1000));
        });
    }

    [TestCase("stock", false)]
    [TestCase("kml", true)]
    public void ARingZeroOrUserLoopOfSystemCallsEndsWithTheHostsSigint(string mode, bool trusted)
    {
        string elf = Program(a =>
        {
            var loop = a.CreateLabel();
            a.Label(ref loop);
            a.mov(eax, 39); // getpid, forever
            a.syscall();
            a.jmp(loop);
        });
        string json = TempFile();
        string[] args = trusted
            ? ["run", "--mode", mode, "--trusted", "--sigint-after", "3000000", "--json", json, "--", elf]
            : ["run", "--mode", mode, "--sigint-after", "3000000", "--json", json, "--", elf];
        Assert.That(Kmlsim(args).Status, Is.EqualTo(128 + 2));
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(json));
        Assert.That(report.RootElement.GetProperty("translatedSyscalls").GetInt64(), trusted ? Is.GreaterThan(0) : Is.Zero);
    }

    /// <summary>
    /// <c>--map HOSTDIR=GUESTDIR</c> end to end: the guest reads a host file under GUESTDIR and cannot create
    /// one there (EROFS: mappings are read-only); it exits with the bytes read, plus 100 when the create
    /// failed with EROFS (30).
    /// </summary>
    [Test]
    public void AMappedHostDirectoryIsReadableAndReadOnlyInTheGuest()
    {
        string hostDirectory = Directory.CreateTempSubdirectory("kmlsim-map").FullName;
        try
        {
            File.WriteAllText(Path.Combine(hostDirectory, "in.txt"), "mapped!\n");
            string elf = Program(a =>
            {
                var path = a.CreateLabel();
                var created = a.CreateLabel();
                var done = a.CreateLabel();
                a.mov(eax, 2); // open("/data/in.txt", O_RDONLY)
                a.lea(rdi, __[path]);
                a.xor(esi, esi);
                a.syscall();
                a.mov(edi, eax);
                a.xor(eax, eax); // read(fd, data page, 64)
                a.mov(esi, (uint)ElfImageBuilder.DataAddress);
                a.mov(edx, 64);
                a.syscall();
                a.mov(ebx, eax);
                a.mov(eax, 2); // open("/data/new", O_WRONLY | O_CREAT, 0644)
                a.lea(rdi, __[created]);
                a.mov(esi, 0x41);
                a.mov(edx, 0x1A4);
                a.syscall();
                a.cmp(eax, -30);
                a.jne(done);
                a.add(ebx, 100);
                a.Label(ref done);
                a.mov(edi, ebx);
                a.mov(eax, 231);
                a.syscall();
                a.Label(ref path);
                a.db("/data/in.txt\0"u8.ToArray());
                a.Label(ref created);
                a.db("/data/new\0"u8.ToArray());
            });
            string json = TempFile();
            var (status, errors) = Kmlsim("run", "--map", hostDirectory + "=/data", "--json", json, "--", elf);
            using JsonDocument report = JsonDocument.Parse(File.ReadAllText(json));
            Assert.Multiple(() =>
            {
                Assert.That(status, Is.EqualTo(100 + "mapped!\n".Length), errors);
                Assert.That(report.RootElement.GetProperty("syscallsByName").GetProperty("open").GetInt64(), Is.EqualTo(2));
                Assert.That(File.Exists(Path.Combine(hostDirectory, "new")), Is.False, "nothing reaches the host");
            });
        }
        finally
        {
            Directory.Delete(hostDirectory, recursive: true);
        }
    }

    [TestCase("", TestName = "no command")]
    [TestCase("frobnicate", TestName = "unknown command")]
    [TestCase("run", TestName = "no ELF")]
    [TestCase("run --json", TestName = "option without value")]
    [TestCase("run --verbose x", TestName = "unknown option")]
    [TestCase("run --max-instructions -5 x", TestName = "negative limit")]
    [TestCase("run --timing opteron -- x", TestName = "an unknown timing profile")]
    [TestCase("demo extra", TestName = "demo with arguments")]
    [TestCase("run --mode vms -- x", TestName = "an unknown kernel mode")]
    [TestCase("run --sigint-after 0 -- x", TestName = "a signal at instruction 0")]
    [TestCase("run --mode emulation --sigint-after 5 -- x", TestName = "a host signal without a kernel")]
    [TestCase("run --map nothing -- x", TestName = "a mapping without =")]
    public void BadArgumentsGiveAMessageAndTwoWithoutTheWholeUsage(string commandLine)
    {
        var (status, errors) = Kmlsim(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(2));
            Assert.That(errors, Does.Match(@"See 'kmlsim( \w+)? --help'\."));
            Assert.That(errors, Does.Not.Contain("Options:"), "the message, not the usage");
            Assert.That(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.LessThanOrEqualTo(5));
        });
    }

    [Test]
    public void AMissingFileIsAClearErrorWithoutAStackTrace()
    {
        var (status, errors) = Kmlsim("run", "--", "/nonexistent/guest");
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(2));
            Assert.That(errors, Does.StartWith("kmlsim: cannot run /nonexistent/guest"));
            Assert.That(errors, Does.Not.Contain("   at "));
        });
    }

    [Test]
    public void ANonElfFileIsAClearError()
    {
        string text = TempFile("#!/bin/sh\necho hi\n"u8.ToArray());
        var (status, errors) = Kmlsim("run", "--", text);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(2));
            Assert.That(errors, Does.Contain("not an ELF file"));
        });
    }
}
