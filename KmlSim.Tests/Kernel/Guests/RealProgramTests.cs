using System.Text;
using KmlSim.Guests;

namespace KmlSim.Tests.Kernel.Guests;

/// <summary>
/// Real C programs built with gcc -O2 -static (glibc, and musl when musl-gcc is installed; hello and
/// float also as glibc static-PIE) give the same stdout and exit code simulated as on the host CPU.
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
                yield return new TestCaseData(program, toolchain).SetName($"{program} ({toolchain})");
            }
        }

        foreach (string program in new[] { "hello", "float" })
        {
            yield return new TestCaseData(program, GuestToolchain.GlibcStaticPie).SetName($"{program} ({GuestToolchain.GlibcStaticPie})");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void RunsAsOnTheHost(string program, GuestToolchain toolchain)
    {
        string binary = GuestRuns.Build(program, toolchain);
        var (nativeStdout, nativeExit) = GuestRuns.RunNative(binary);
        RunResult simulated = GuestRuns.RunSimulated(binary);
        Assert.Multiple(() =>
        {
            Assert.That(simulated.Outcome, Is.EqualTo(RunOutcome.Exited), simulated.Message);
            Assert.That(Encoding.UTF8.GetString(simulated.Stdout), Is.EqualTo(nativeStdout));
            Assert.That(simulated.ExitCode, Is.EqualTo(nativeExit));
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
