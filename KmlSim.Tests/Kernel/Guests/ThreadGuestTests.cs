namespace KmlSim.Tests.Kernel.Guests;

/// <summary>
/// futexes.c (the thread calls one by one: futex operations and errors, the PI and robust locks, tgkill and
/// per-thread alternate stacks, thread CPU clocks, affinity, a thread's exit_group) and threads.c (8 pthreads on a mutex, a condition variable, a barrier and a read-write lock with contention,
/// thread-local storage, pthread_cancel, a detached thread, a process-directed signal that one thread leaves
/// unblocked, then execve with a thread still blocked) prints the same and exits with the same status as natively, under Stock and, from /trusted, in
/// ring 0 under KML.
/// </summary>
public class ThreadGuestTests
{
    /// <summary>threads.c ends by exec'ing itself (argv[0]) with a thread still blocked, so it runs from the simulated file system.</summary>
    [TestCase(KernelMode.Stock, "/bin/threads")]
    [TestCase(KernelMode.Kml, "/trusted/bin/threads")]
    [TestCase(KernelMode.KmlWithoutIst, "/trusted/bin/threads")]
    public void ThreadsRunAsOnTheHost(KernelMode mode, string guestPath)
    {
        string binary = GuestRuns.Build("threads", KmlSim.Guests.GuestToolchain.Glibc);
        var (nativeStdout, nativeExit) = GuestRuns.RunNative(binary);
        var machine = new Machine(new MachineOptions { KernelMode = mode });
        machine.FileSystem.MapHostFile(guestPath, binary);
        machine.Start(guestPath);
        RunResult simulated = machine.Run(RunLimits.Instructions(GuestRuns.InstructionBudget));
        Assert.Multiple(() =>
        {
            Assert.That(simulated.Outcome, Is.EqualTo(RunOutcome.Exited), simulated.Message);
            Assert.That(System.Text.Encoding.UTF8.GetString(simulated.Stdout), Is.EqualTo(nativeStdout));
            Assert.That(simulated.ExitCode, Is.EqualTo(nativeExit));
            Assert.That(simulated.TranslatedSyscalls, mode == KernelMode.Stock ? Is.Zero : Is.EqualTo(simulated.Syscalls), "under KML every thread's calls are ring-0 calls");
        });
    }

    [TestCase(KernelMode.Stock)]
    [TestCase(KernelMode.Kml)]
    public void ThreadCallsAnswerAsOnTheHost(KernelMode mode) => GuestRuns.AssertSameAsNative("futexes", mode);

    [TestCase(KernelMode.Stock, false)]
    [TestCase(KernelMode.Kml, true)]
    public void ThreadCallsAreImplemented(KernelMode mode, bool trusted)
    {
        RunResult result = GuestRuns.RunSimulated(GuestRuns.Build("futexes", KmlSim.Guests.GuestToolchain.Glibc), options: new MachineOptions { KernelMode = mode, Trusted = trusted });
        Assert.Multiple(() =>
        {
            Assert.That(result.UnimplementedSyscalls.Keys.Intersect(["clone", "clone3", "futex", "set_robust_list", "gettid", "tgkill"]), Is.Empty);
            Assert.That(result.ExitCode, Is.EqualTo(3), "a thread's exit_group decides the status");
            Assert.That(result.Processes, Has.Count.EqualTo(1), "threads are not processes");
            Assert.That(result.TranslatedSyscalls > 0, Is.EqualTo(trusted), "a /trusted process's threads run in ring 0 too");
        });
    }
}
