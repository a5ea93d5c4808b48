using System.Text;
using KmlSim.Guests;

namespace KmlSim.Tests.Kernel.Guests;

/// <summary>
/// Real C programs built with gcc -O2 -static (glibc, and musl when musl-gcc is installed; hello and
/// float also as glibc static-PIE) give the same stdout and exit code simulated as on the host CPU, under
/// the stock kernel and under KML as kernel-mode user processes (the binary run from /trusted).
/// </summary>
public class RealProgramTests
{
    private static readonly string[] Programs = ["hello", "integer", "float", "longdouble", "strings", "malloc", "setjmp"];

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (GuestToolchain toolchain in GuestRuns.Toolchains())
        {
            foreach (string program in Programs)
            {
                foreach (KernelMode mode in new[] { KernelMode.Stock, KernelMode.Kml })
                {
                    yield return new TestCaseData(program, toolchain, mode).SetName($"{program} ({toolchain}, {mode})");
                }
            }
        }

        foreach (string program in new[] { "hello", "float" })
        {
            foreach (KernelMode mode in new[] { KernelMode.Stock, KernelMode.Kml })
            {
                yield return new TestCaseData(program, GuestToolchain.GlibcStaticPie, mode).SetName($"{program} ({GuestToolchain.GlibcStaticPie}, {mode})");
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void RunsAsOnTheHost(string program, GuestToolchain toolchain, KernelMode mode)
    {
        string binary = GuestRuns.Build(program, toolchain);
        var (nativeStdout, nativeExit) = GuestRuns.RunNative(binary);
        bool trusted = mode == KernelMode.Kml;
        RunResult simulated = GuestRuns.RunSimulated(binary, options: new MachineOptions { KernelMode = mode, Trusted = trusted });
        Assert.Multiple(() =>
        {
            Assert.That(simulated.Outcome, Is.EqualTo(RunOutcome.Exited), simulated.Message);
            Assert.That(Encoding.UTF8.GetString(simulated.Stdout), Is.EqualTo(nativeStdout));
            Assert.That(simulated.ExitCode, Is.EqualTo(nativeExit));
            // Under KML every system call of the ring-0 process went through the direct entry, none through SYSCALL.
            Assert.That(simulated.TranslatedSyscalls, trusted ? Is.EqualTo(simulated.Syscalls) : Is.Zero);
        });
    }

    [Test]
    public void AnAvxInstructionInACProgramEndsItWithSigillNamingTheInstruction()
    {
        RunResult result = GuestRuns.RunSimulated(GuestRuns.Build("illegal", GuestToolchain.Glibc));
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Signaled), result.Message);
            Assert.That(result.Signal, Is.EqualTo(4));
            Assert.That(result.ShellExitStatus, Is.EqualTo(132));
            Assert.That(result.Message, Does.Contain("vaddps"));
            Assert.That(Encoding.UTF8.GetString(result.Stdout), Is.EqualTo("before\n"), "output flushed before the fault survives");
        });
    }

    [Test]
    public void ARealProgramStopsAtTheInstructionLimit()
    {
        RunResult result = GuestRuns.RunSimulated(GuestRuns.Build("integer", GuestToolchain.Glibc), budget: 20);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Limit), result.Message);
            Assert.That(result.Instructions, Is.EqualTo(20));
            Assert.That(result.ExitCode, Is.Null);
            Assert.That(result.ShellExitStatus, Is.Null);
        });
    }
}
