namespace KmlSim.Tests.Kernel.Guests;

/// <summary>
/// futexes.c (the thread calls one by one: futex operations and errors, the PI and robust locks, tgkill and
/// per-thread alternate stacks, thread CPU clocks, affinity, a thread's exit_group) and threads.c (8 pthreads on a mutex, a condition variable, a barrier and a read-write lock with contention,
/// thread-local storage, pthread_cancel, a detached thread, a process-directed signal that one thread leaves
/// unblocked) prints the same and exits with the same status as natively, under Stock and, from /trusted, in
/// ring 0 under KML.
/// </summary>
public class ThreadGuestTests
{
    [TestCase(KernelMode.Stock)]
    [TestCase(KernelMode.Kml)]
    [TestCase(KernelMode.KmlWithoutIst)]
    public void ThreadsRunAsOnTheHost(KernelMode mode) => GuestRuns.AssertSameAsNative("threads", mode);

    [TestCase(KernelMode.Stock)]
    [TestCase(KernelMode.Kml)]
    public void ThreadCallsAnswerAsOnTheHost(KernelMode mode) => GuestRuns.AssertSameAsNative("futexes", mode);

    [TestCase(KernelMode.Stock, false)]
    [TestCase(KernelMode.Kml, true)]
    public void ThreadCallsAreImplemented(KernelMode mode, bool trusted)
    {
        RunResult result = GuestRuns.RunSimulated(GuestRuns.Build("threads", KmlSim.Guests.GuestToolchain.Glibc), options: new MachineOptions { KernelMode = mode, Trusted = trusted });
        Assert.Multiple(() =>
        {
            Assert.That(result.UnimplementedSyscalls.Keys.Intersect(["clone", "clone3", "futex", "set_robust_list", "gettid", "tgkill"]), Is.Empty);
            Assert.That(result.SyscallsByName["exit"], Is.EqualTo(11), "the program makes 11 threads; each ends by exit (the cancelled one after unwinding)");
            Assert.That(result.Processes, Has.Count.EqualTo(1), "threads are not processes");
            Assert.That(result.TranslatedSyscalls > 0, Is.EqualTo(trusted), "a /trusted process's threads run in ring 0 too");
        });
    }
}
