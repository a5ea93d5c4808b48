using System.Text;
using KmlSim.Guests;

namespace KmlSim.Tests.Kernel.Guests;

/// <summary>
/// C guests that exercise the file layer give the same output simulated as natively. The native run
/// works in a fresh temporary directory; the simulated one in a fresh simulated directory (/tmp/work), so
/// relative paths mean the same thing in both.
/// </summary>
public class FileProgramTests
{
    private string? scratch;

    [SetUp]
    public void MakeScratchDirectory() => scratch = Directory.CreateTempSubdirectory("kmlsim-files-").FullName;

    [TearDown]
    public void RemoveScratchDirectory()
    {
        if (scratch is not null)
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (GuestToolchain toolchain in GuestRuns.Toolchains())
        {
            foreach (string program in new[] { "files", "pipes", "dirs", "dbio", "devices" })
            {
                yield return new TestCaseData(program, toolchain).SetName($"{program} ({toolchain})");
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void RunsAsOnTheHost(string program, GuestToolchain toolchain)
    {
        string binary = GuestRuns.Build(program, toolchain);
        var (nativeStdout, nativeExit) = GuestRuns.RunNative(binary, scratch);
        RunResult simulated = GuestRuns.RunSimulated(binary, options: new MachineOptions { WorkingDirectory = "/tmp/work" });
        Assert.Multiple(() =>
        {
            Assert.That(simulated.Outcome, Is.EqualTo(RunOutcome.Exited), simulated.Message);
            Assert.That(Encoding.UTF8.GetString(simulated.Stdout), Is.EqualTo(nativeStdout));
            Assert.That(simulated.ExitCode, Is.EqualTo(nativeExit));
            Assert.That(simulated.UnimplementedSyscalls, Is.Empty);
        });
    }
}
