using System.Text;
using KmlSim.Guests;

namespace KmlSim.Tests.Kernel.Guests;

/// <summary>
/// The life of processes: copy-on-write fork, a long fork/exec/wait loop on a small machine (a dead
/// process's memory and task slot come back), execve by a relative path from the cwd with the
/// floating-point state reset, and the per-process records of the run. Compared with native runs, under
/// Stock and under KML from /trusted.
/// </summary>
public class ProcessLifecycleGuestTests
{
    /// <summary>
    /// 48 MiB: room for a parent and an exec'd child at a time (each maps Linux's 8 MiB stack up front),
    /// far from enough for the 300 children of forkexecloop if their memory were never freed.
    /// </summary>
    private const ulong SmallMemory = 48UL << 20;

    private static string GuestDirectory(KernelMode mode) => mode == KernelMode.Kml ? "/trusted/bin" : "/bin";

    /// <summary>Runs a host-built guest from the simulated file system (under /trusted for KML), in that directory unless <paramref name="workingDirectory"/> is given.</summary>
    private static (RunResult Result, string GuestPath) RunFromFileSystem(string binary, KernelMode mode, ulong memoryBytes = 1UL << 30, string? workingDirectory = null, params string[] arguments)
    {
        string guestPath = GuestDirectory(mode) + "/" + Path.GetFileName(binary);
        var machine = new Machine(new MachineOptions { KernelMode = mode, MemoryBytes = memoryBytes, WorkingDirectory = workingDirectory ?? GuestDirectory(mode) });
        machine.FileSystem.MapHostFile(guestPath, binary);
        machine.Start(guestPath, arguments);
        return (machine.Run(RunLimits.Instructions(GuestRuns.InstructionBudget)), guestPath);
    }

    /// <summary>copyonwrite: parent and child each see only their own writes; pipewrite: short and blocking pipe writes.</summary>
    [TestCase("copyonwrite", KernelMode.Stock)]
    [TestCase("copyonwrite", KernelMode.Kml)]
    [TestCase("pipewrite", KernelMode.Stock)]
    [TestCase("pipewrite", KernelMode.Kml)]
    public void GuestIsAsOnTheHost(string guest, KernelMode mode)
    {
        GuestRuns.AssertSameAsNative(guest, mode);
    }

    /// <summary>
    /// Fork/exec/wait rounds on a 48 MiB machine: every child's status is right, as on the host, and the
    /// run records every process: the children with their parent, program and exit code. 80 rounds already
    /// need more than the 64 task slots and, unfreed, 640 MiB of stacks alone.
    /// </summary>
    [TestCase(KernelMode.Stock, 80)]
    [TestCase(KernelMode.Kml, 80)]
    [TestCase(KernelMode.Stock, 300, Category = "Slow")]
    [TestCase(KernelMode.Kml, 300, Category = "Slow")]
    public void ALongForkExecLoopDoesNotExhaustASmallMachine(KernelMode mode, int rounds)
    {
        string binary = GuestRuns.Build("forkexecloop", GuestToolchain.Glibc);
        var (nativeStdout, nativeExit) = GuestRuns.RunNative(binary, null, rounds.ToString());
        var (simulated, guestPath) = RunFromFileSystem(binary, mode, SmallMemory, null, rounds.ToString());
        TestContext.Out.WriteLine($"{mode}: instructions {simulated.Instructions}, syscalls {simulated.Syscalls}, host seconds {simulated.HostSeconds:F1}");
        Assert.Multiple(() =>
        {
            Assert.That(simulated.Outcome, Is.EqualTo(RunOutcome.Exited), simulated.Message);
            Assert.That(Encoding.UTF8.GetString(simulated.Stdout), Is.EqualTo(nativeStdout));
            Assert.That(simulated.ExitCode, Is.EqualTo(nativeExit));
            Assert.That(simulated.Processes, Has.Count.EqualTo(rounds + 1));
            ProcessResult parent = simulated.Processes[0];
            IEnumerable<ProcessResult> children = simulated.Processes.Skip(1);
            Assert.That(children.Select(c => c.ParentPid), Is.All.EqualTo(parent.Pid));
            Assert.That(children.Select(c => c.ExitCode), Is.EqualTo(Enumerable.Range(0, rounds).Select(i => (int?)(i % 200))));
            Assert.That(children.Select(c => c.ExecutablePath), Is.All.EqualTo(guestPath));
            Assert.That(children.Select(c => c.SyscallsByName.GetValueOrDefault("execve")), Is.All.EqualTo(1));
            Assert.That(parent.SyscallsByName.GetValueOrDefault("fork") + parent.SyscallsByName.GetValueOrDefault("clone"), Is.EqualTo(rounds), "glibc's fork is clone");
            Assert.That(simulated.SyscallsByName["wait4"], Is.EqualTo(rounds));
            Assert.That(simulated.Processes.Sum(p => p.Instructions), Is.EqualTo(simulated.Instructions), "every instruction ran for one process");
            Assert.That(simulated.Processes.Sum(p => p.Syscalls), Is.EqualTo(simulated.Syscalls));
            Assert.That(simulated.TranslatedSyscalls, mode == KernelMode.Kml ? Is.EqualTo(simulated.Syscalls) : Is.Zero);
        });
    }

    /// <summary>
    /// A child execs "./NAME" from the program's directory (the cwd): the new program starts with the x87
    /// control word 0x37F and MXCSR 0x1F80 whatever its parent set, as on the host; under KML the file is in
    /// /trusted, so the exec'd program runs in ring 0 too (all its system calls are translated calls).
    /// </summary>
    [TestCase(KernelMode.Stock)]
    [TestCase(KernelMode.Kml)]
    public void ExecOfARelativePathStartsAFreshFloatingPointState(KernelMode mode)
    {
        string binary = GuestRuns.Build("execfpu", GuestToolchain.Glibc);
        var (nativeStdout, nativeExit) = GuestRuns.RunNative(binary, Path.GetDirectoryName(binary));
        var (simulated, guestPath) = RunFromFileSystem(binary, mode);
        Assert.Multiple(() =>
        {
            Assert.That(simulated.Outcome, Is.EqualTo(RunOutcome.Exited), simulated.Message);
            Assert.That(Encoding.UTF8.GetString(simulated.Stdout), Is.EqualTo(nativeStdout));
            Assert.That(simulated.ExitCode, Is.EqualTo(nativeExit));
            Assert.That(simulated.Processes.Select(p => p.ExecutablePath), Is.EqualTo(new[] { guestPath, guestPath }));
            Assert.That(simulated.TranslatedSyscalls, mode == KernelMode.Kml ? Is.EqualTo(simulated.Syscalls) : Is.Zero);
        });
    }

    /// <summary>
    /// Out of memory at a copy-on-write fault: the child writing its 24 MiB copy on a 40 MiB machine is
    /// killed with SIGKILL, as Linux's out-of-memory killer does (mm/oom_kill.c sends SIGKILL), the parent's
    /// pages are untouched and the machine goes on. (Natively the child just finishes: the host has the memory.)
    /// </summary>
    [TestCase(KernelMode.Stock)]
    [TestCase(KernelMode.Kml)]
    public void RunningOutOfMemoryAtACopyOnWriteFaultKillsTheWriterWithSigkill(KernelMode mode)
    {
        string binary = GuestRuns.Build("cowexhaust", GuestToolchain.Glibc);
        RunResult simulated = GuestRuns.RunSimulated(binary, options: new MachineOptions { KernelMode = mode, Trusted = mode == KernelMode.Kml, MemoryBytes = 40UL << 20 });
        Assert.Multiple(() =>
        {
            Assert.That(simulated.Outcome, Is.EqualTo(RunOutcome.Exited), simulated.Message);
            Assert.That(Encoding.UTF8.GetString(simulated.Stdout), Is.EqualTo("child signaled 1 signal 9; parent pages intact 1\n"));
            Assert.That(simulated.ExitCode, Is.Zero);
            Assert.That(simulated.Processes[1].Signal, Is.EqualTo(9));
        });
    }

    /// <summary>Private mappings of a file (read-only, writable copies, an offset, /proc/self/exe) and the refused ones, as on the host.</summary>
    [TestCase(KernelMode.Stock)]
    [TestCase(KernelMode.Kml)]
    public void PrivateFileMappingsAreAsOnTheHost(KernelMode mode)
    {
        string binary = GuestRuns.Build("mmapfile", GuestToolchain.Glibc);
        string scratch = Directory.CreateTempSubdirectory("kmlsim-mmap-").FullName;
        try
        {
            var (nativeStdout, nativeExit) = GuestRuns.RunNative(binary, scratch);
            RunResult simulated = RunFromFileSystem(binary, mode, workingDirectory: "/tmp/work").Result; // (so that /proc/self/exe is in the simulated file system)
            Assert.Multiple(() =>
            {
                Assert.That(simulated.Outcome, Is.EqualTo(RunOutcome.Exited), simulated.Message);
                Assert.That(Encoding.UTF8.GetString(simulated.Stdout), Is.EqualTo(nativeStdout));
                Assert.That(simulated.ExitCode, Is.EqualTo(nativeExit));
            });
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
