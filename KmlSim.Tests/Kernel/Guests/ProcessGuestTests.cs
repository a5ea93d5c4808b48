using System.Text;
using KmlSim.Guests;

namespace KmlSim.Tests.Kernel.Guests;

/// <summary>
/// C guests that create processes and handle signals (fork, wait4 statuses, handlers, masks, faults caught
/// with siglongjmp), compared with native runs under Stock and under KML from /trusted.
/// </summary>
public class ProcessGuestTests
{
    [TestCase("forkwait", KernelMode.Stock)]
    [TestCase("forkwait", KernelMode.Kml)]
    [TestCase("signals", KernelMode.Stock)]
    [TestCase("signals", KernelMode.Kml)]
    public void ProcessesAndSignalsAreAsOnTheHost(string guest, KernelMode mode)
    {
        GuestRuns.AssertSameAsNative(guest, mode);
    }

    /// <summary>
    /// A forked writer streams through a pipe to its parent, as on the host; under Stock every system call
    /// enters with SYSCALL and leaves with SYSRET or IRETQ, with two SWAPGS per entry; under KML from
    /// /trusted none of those instructions execute.
    /// </summary>
    [TestCase(KernelMode.Stock)]
    [TestCase(KernelMode.Kml)]
    public void ForkAndPipeStreamingIsAsOnTheHost(KernelMode mode)
    {
        string binary = GuestRuns.Build("pipestream", GuestToolchain.Glibc);
        var (nativeStdout, nativeExit) = GuestRuns.RunNative(binary);
        RunResult simulated = GuestRuns.RunSimulated(binary, options: new MachineOptions { KernelMode = mode, Trusted = mode == KernelMode.Kml });
        TestContext.Out.WriteLine($"{mode}: syscalls {simulated.Syscalls}, SYSCALL {simulated.SyscallInstructions}, SYSRET {simulated.SysretInstructions}, SWAPGS {simulated.SwapgsInstructions}, translated {simulated.TranslatedSyscalls}, switches {simulated.ContextSwitches}, ticks {simulated.TimerInterrupts}, instructions {simulated.Instructions}");
        Assert.Multiple(() =>
        {
            Assert.That(simulated.Outcome, Is.EqualTo(RunOutcome.Exited), simulated.Message);
            Assert.That(Encoding.UTF8.GetString(simulated.Stdout), Is.EqualTo(nativeStdout));
            Assert.That(simulated.ExitCode, Is.EqualTo(nativeExit));
            Assert.That(simulated.ContextSwitches, Is.GreaterThan(2), "the reader blocked on the pipe and the writer on a full pipe");
            if (mode == KernelMode.Stock)
            {
                Assert.That(simulated.SyscallInstructions, Is.EqualTo(simulated.Syscalls));
                Assert.That(simulated.SwapgsInstructions, Is.GreaterThanOrEqualTo(2 * simulated.Syscalls));
            }
            else
            {
                Assert.That(simulated.SyscallInstructions + simulated.SysretInstructions + simulated.SwapgsInstructions, Is.Zero);
                Assert.That(simulated.TranslatedSyscalls, Is.EqualTo(simulated.Syscalls));
            }
        });
    }

    /// <summary>A forked child execs the same program from the simulated file system (under /trusted for KML).</summary>
    [TestCase(KernelMode.Stock, "/bin/exec")]
    [TestCase(KernelMode.Kml, "/trusted/bin/exec")]
    public void ExecveReplacesTheChildAsOnTheHost(KernelMode mode, string guestPath)
    {
        string binary = GuestRuns.Build("exec", GuestToolchain.Glibc);
        var (nativeStdout, nativeExit) = GuestRuns.RunNative(binary);
        var machine = new Machine(new MachineOptions { KernelMode = mode });
        machine.FileSystem.MapHostFile(guestPath, binary);
        machine.Start(guestPath);
        RunResult simulated = machine.Run(RunLimits.Instructions(GuestRuns.InstructionBudget));
        Assert.Multiple(() =>
        {
            Assert.That(simulated.Outcome, Is.EqualTo(RunOutcome.Exited), simulated.Message);
            Assert.That(Encoding.UTF8.GetString(simulated.Stdout), Is.EqualTo(nativeStdout));
            Assert.That(simulated.ExitCode, Is.EqualTo(nativeExit));
            Assert.That(simulated.TranslatedSyscalls, mode == KernelMode.Kml ? Is.EqualTo(simulated.Syscalls) : Is.Zero);
        });
    }
}
