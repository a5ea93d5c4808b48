using System.Text;
using KmlSim.Guests;
using KmlSim.Kernel.Elf;
using KmlSim.Kernel.Vdso;
using KmlSim.Tests.Kernel.Guests;

namespace KmlSim.Tests.Kernel;

/// <summary>
/// The project's vDSO: a valid ELF shared object that glibc (static and dynamic) finds through
/// AT_SYSINFO_EHDR and uses, so that clock_gettime, gettimeofday, time and sched_getcpu never enter the
/// kernel, with results that agree with the system calls; a loop spinning until the clock changes ends.
/// </summary>
public class VdsoTests
{
    private static readonly string[] TimeCalls = ["clock_gettime", "gettimeofday", "time", "getcpu"];

    [Test]
    public void TheImageIsAnElfSharedObjectWithOneLoadAndADynamicSection()
    {
        ElfFile elf = ElfFile.Parse(VdsoImage.Bytes.ToArray());
        Assert.Multiple(() =>
        {
            Assert.That(elf.IsPositionIndependent, Is.True);
            Assert.That(elf.Interpreter, Is.Null);
            Assert.That(elf.Segments.Count(s => s.Type == ElfSegment.Load), Is.EqualTo(1));
            Assert.That(elf.Segments.Single(s => s.Type == 2).Flags & ElfSegment.Write, Is.Zero, "PT_DYNAMIC read-only: glibc then leaves it unrelocated");
            Assert.That(Encoding.ASCII.GetString(VdsoImage.Bytes.ToArray()), Does.Contain("__vdso_clock_gettime\0").And.Contain("__vdso_getcpu\0").And.Contain("linux-vdso.so.1\0"));
        });
    }

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (GuestToolchain toolchain in new[] { GuestToolchain.Glibc, GuestToolchain.GlibcDynamic })
        {
            foreach (KernelMode mode in new[] { KernelMode.Stock, KernelMode.Kml })
            {
                yield return new TestCaseData(toolchain, mode).SetName($"VdsoTimeAsNativeWithoutEnteringTheKernel({toolchain}, {mode})");
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void TimeCallsRunInUserModeAndAgreeWithTheSystemCalls(GuestToolchain toolchain, KernelMode mode)
    {
        string binary = GuestRuns.Build("vdsotime", toolchain);
        var (nativeStdout, nativeExit) = GuestRuns.RunNative(binary);
        var options = new MachineOptions { KernelMode = mode, Trusted = mode == KernelMode.Kml };
        if (toolchain == GuestToolchain.GlibcDynamic)
        {
            options = options with { Root = "/", RootEntries = MachineOptions.HostSystemEntries };
        }

        RunResult simulated = GuestRuns.RunSimulated(binary, options: options);
        Assert.Multiple(() =>
        {
            Assert.That(simulated.Outcome, Is.EqualTo(RunOutcome.Exited), simulated.Message);
            Assert.That(Encoding.UTF8.GetString(simulated.Stdout), Is.EqualTo(nativeStdout));
            Assert.That(simulated.ExitCode, Is.EqualTo(nativeExit));
            // The guest's own syscall(2)s: two clock_gettime and one gettimeofday; the CPU-time clock falls back to
            // the system call from inside the vDSO, as Linux's does. Everything else stayed in user mode.
            Assert.That(simulated.SyscallsByName.GetValueOrDefault("clock_gettime"), Is.EqualTo(5), "4 direct + 1 CPU-time fallback");
            Assert.That(simulated.SyscallsByName.GetValueOrDefault("gettimeofday"), Is.EqualTo(1));
            Assert.That(simulated.SyscallsByName.Keys, Has.No.Member("time").And.No.Member("getcpu"));
        });
    }
}
