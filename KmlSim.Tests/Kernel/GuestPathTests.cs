using System.Text;
using KmlSim.Guests;
using KmlSim.Tests.Kernel.Guests;
using KmlSim.Timing.Profiles;

namespace KmlSim.Tests.Kernel;

/// <summary>
/// What the guest sees of its own program never depends on where the binary lies on the host: a host file
/// outside the guest's tree runs as /opt/kmlsim/bin/NAME (argv[0], AT_EXECFN, /proc/self/exe), one under
/// the root at its place there, so two copies in host directories of different path lengths run to the
/// same cycle; <see cref="MachineOptions.Argv0"/> overrides argv[0] alone.
/// </summary>
public class GuestPathTests
{
    private string directory = "";

    [SetUp]
    public void MakeDirectory() => directory = Directory.CreateTempSubdirectory("kmlsim-paths-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public void TheSameBinaryInShortAndLongHostPathsRunsToTheSameCycle()
    {
        string binary = GuestRuns.Build("hello", GuestToolchain.Glibc);
        string shortCopy = Path.Combine(directory, "h");
        string longCopy = Path.Combine(directory, new string('d', 150), "h");
        Directory.CreateDirectory(Path.GetDirectoryName(longCopy)!);
        File.Copy(binary, shortCopy);
        File.Copy(binary, longCopy);
        RunResult Run(string path)
        {
            var machine = new Machine(new MachineOptions { Timing = CpuProfiles.Opteron850 });
            machine.Start(path);
            return machine.Run(RunLimits.Instructions(GuestRuns.InstructionBudget));
        }

        RunResult near = Run(shortCopy), far = Run(longCopy);
        Assert.Multiple(() =>
        {
            Assert.That(near.Outcome, Is.EqualTo(RunOutcome.Exited), near.Message);
            Assert.That(far.Instructions, Is.EqualTo(near.Instructions));
            Assert.That(far.Timing!.TotalCycles, Is.EqualTo(near.Timing!.TotalCycles));
            Assert.That(far.Stdout, Is.EqualTo(near.Stdout));
        });
    }

    [TestCase(false, "/opt/kmlsim/bin/prog")]
    [TestCase(true, "/trusted/bin/prog")]
    public void AHostProgramSeesItsGuestPathAsArgv0ExecfnAndProcSelfExe(bool trusted, string expected)
    {
        string program = Path.Combine(directory, "prog");
        File.Copy(GuestRuns.Build("selfpath", GuestToolchain.Glibc), program);
        var machine = new Machine(new MachineOptions { KernelMode = KernelMode.Kml, Trusted = trusted });
        machine.Start(program);
        RunResult result = machine.Run(RunLimits.Instructions(GuestRuns.InstructionBudget));
        Assert.That(Encoding.UTF8.GetString(result.Stdout), Is.EqualTo($"argv[0] {expected}\nAT_EXECFN {expected}\n/proc/self/exe {expected}\n"), result.Message);
    }

    [Test]
    public void Argv0OverridesOnlyArgv0()
    {
        string program = Path.Combine(directory, "prog");
        File.Copy(GuestRuns.Build("selfpath", GuestToolchain.Glibc), program);
        var machine = new Machine(new MachineOptions { Argv0 = "renamed" });
        machine.Start(program);
        RunResult result = machine.Run(RunLimits.Instructions(GuestRuns.InstructionBudget));
        Assert.That(Encoding.UTF8.GetString(result.Stdout), Is.EqualTo("argv[0] renamed\nAT_EXECFN /opt/kmlsim/bin/prog\n/proc/self/exe /opt/kmlsim/bin/prog\n"), result.Message);
    }

    [Test]
    public void AHostFileInsideTheRootRunsAtItsPlaceThere()
    {
        Directory.CreateDirectory(Path.Combine(directory, "usr", "bin"));
        File.Copy(GuestRuns.Build("selfpath", GuestToolchain.Glibc), Path.Combine(directory, "usr", "bin", "prog"));
        var machine = new Machine(new MachineOptions { Root = directory });
        machine.Start(Path.Combine(directory, "usr", "bin", "prog"));
        RunResult result = machine.Run(RunLimits.Instructions(GuestRuns.InstructionBudget));
        Assert.That(Encoding.UTF8.GetString(result.Stdout), Is.EqualTo("argv[0] /usr/bin/prog\nAT_EXECFN /usr/bin/prog\n/proc/self/exe /usr/bin/prog\n"), result.Message);
    }
}
