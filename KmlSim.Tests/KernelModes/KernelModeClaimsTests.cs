using KmlSim.Kernel.Elf;
using KmlSim.Tests.Kernel.Elf;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.KernelModes;

/// <summary>
/// The seed article's claims about Kernel Mode Linux, as runs of small assembled programs: a ring-0 loop
/// of system calls does not hang the machine and a host SIGINT ends it; a ring-0 stack overflow gives
/// SIGSEGV with IST and a triple fault without; a ring-0 process's red zone survives interrupts with IST
/// and not without; GS changes and 32-bit binaries are refused in ring 0.
/// </summary>
public class KernelModeClaimsTests
{
    private const int Sigint = 2, Sigsegv = 11;
    private readonly List<string> files = new();

    [TearDown]
    public void Delete()
    {
        foreach (string file in files)
        {
            File.Delete(file);
        }
    }

    [Test]
    public void ARingZeroYesLoopKeepsRunningAndAHostSigintEndsIt()
    {
        string yes = Write(ElfImageBuilder.Program(a =>
        {
            var loop = a.CreateLabel();
            a.push(0x0A79); // "y\n"
            a.mov(rsi, rsp);
            a.Label(ref loop);
            a.mov(eax, 1);
            a.mov(edi, 1);
            a.mov(edx, 2);
            a.syscall();
            a.jmp(loop);
        }));
        var machine = new Machine(new MachineOptions { KernelMode = KernelMode.Kml, Trusted = true });
        machine.Start(yes);
        machine.SendSignalAt(Sigint, 3_000_000); // after at least one timer interrupt
        RunResult result = machine.Run(RunLimits.Instructions(10_000_000));
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Signaled), result.Message);
            Assert.That(result.Signal, Is.EqualTo(Sigint));
            Assert.That(result.TimerInterrupts, Is.GreaterThanOrEqualTo(1), "the timer kept interrupting the ring-0 loop");
            Assert.That(result.TranslatedSyscalls, Is.GreaterThan(1000));
            Assert.That(result.Stdout.Length, Is.EqualTo(2 * result.Syscalls));
        });
    }

    private string Overflow() => Write(ElfImageBuilder.Program(a =>
    {
        var loop = a.CreateLabel();
        a.Label(ref loop);
        a.push(rax);
        a.jmp(loop);
    }));

    [TestCase(KernelMode.Stock, false)]
    [TestCase(KernelMode.Kml, true)]
    [TestCase(KernelMode.KmlWithoutIst, false)]
    public void AStackOverflowGivesSigsegv(KernelMode mode, bool trusted)
    {
        RunResult result = Run(Overflow(), mode, trusted);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Signaled), result.Message);
        Assert.That(result.Signal, Is.EqualTo(Sigsegv));
    }

    [Test]
    public void ARingZeroStackOverflowWithoutIstTripleFaults()
    {
        RunResult result = Run(Overflow(), KernelMode.KmlWithoutIst, trusted: true);
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TripleFault), result.Message);
    }

    /// <summary>Fills the 128-byte red zone, spins past a timer interrupt, exits 0 when the red zone is intact, else 1.</summary>
    private string RedZone() => Write(ElfImageBuilder.Program(a =>
    {
        var spin = a.CreateLabel();
        var corrupted = a.CreateLabel();
        a.mov(rax, 0x1122334455667788);
        a.lea(rdi, __[rsp - 128]);
        a.mov(ecx, 16);
        a.rep.stosq();
        a.mov(ecx, 1_500_000); // 3 million instructions: more than one timer period (2.4 million)
        a.Label(ref spin);
        a.dec(ecx);
        a.jnz(spin);
        a.lea(rdi, __[rsp - 128]);
        a.mov(ecx, 16);
        a.repe.scasq();
        a.jne(corrupted);
        a.mov(eax, 231);
        a.xor(edi, edi);
        a.syscall();
        a.Label(ref corrupted);
        a.mov(eax, 231);
        a.mov(edi, 1);
        a.syscall();
    }));

    [TestCase(KernelMode.Stock, false, 0)]
    [TestCase(KernelMode.Kml, true, 0)]
    [TestCase(KernelMode.KmlWithoutIst, true, 1)]
    public void TheRedZoneSurvivesInterruptsUnlessARingZeroProcessRunsWithoutIst(KernelMode mode, bool trusted, int exitCode)
    {
        RunResult result = Run(RedZone(), mode, trusted);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Exited), result.Message);
            Assert.That(result.TimerInterrupts, Is.GreaterThanOrEqualTo(1));
            Assert.That(result.ExitCode, Is.EqualTo(exitCode));
        });
    }

    /// <summary>arch_prctl(ARCH_SET_GS, 0x1000); exits with the negated result (EPERM = 1).</summary>
    [TestCase(KernelMode.Stock, false, 0)]
    [TestCase(KernelMode.Kml, false, 0)]
    [TestCase(KernelMode.Kml, true, 1)]
    public void SettingGsThroughArchPrctlIsRefusedInRingZero(KernelMode mode, bool trusted, int exitCode)
    {
        string program = Write(ElfImageBuilder.Program(a =>
        {
            a.mov(edi, 0x1001);
            a.mov(esi, 0x1000);
            a.mov(eax, 158);
            a.syscall();
            a.mov(edi, eax);
            a.neg(edi);
            a.mov(eax, 231);
            a.syscall();
        }));
        RunResult result = Run(program, mode, trusted);
        Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.Message);
    }

    [TestCase(KernelMode.Stock, false, RunOutcome.Exited)]
    [TestCase(KernelMode.Kml, true, RunOutcome.Signaled)]
    public void MovGsIsRefusedInRingZero(KernelMode mode, bool trusted, RunOutcome outcome)
    {
        string program = Write(ElfImageBuilder.Program(a =>
        {
            a.mov(eax, 0x2B); // the user data selector: a legal GS value for a ring-3 process
            a.mov(gs, ax);
            a.mov(eax, 231);
            a.xor(edi, edi);
            a.syscall();
        }));
        RunResult result = Run(program, mode, trusted);
        Assert.That(result.Outcome, Is.EqualTo(outcome), result.Message);
        Assert.That(result.Signal, outcome == RunOutcome.Signaled ? Is.EqualTo(Sigsegv) : Is.Null);
    }

    [Test]
    public void A32BitExecutableUnderTrustedIsRefusedWithEnoexec()
    {
        var image = new byte[64];
        "\u007fELF"u8.CopyTo(image);
        image[4] = 1; // ELFCLASS32
        image[5] = 1;
        image[6] = 1;
        string path = Write(image);
        var machine = new Machine(new MachineOptions { KernelMode = KernelMode.Kml, Trusted = true });
        Assert.That(() => machine.Start(path), Throws.TypeOf<ElfFormatException>().With.Message.Contains("ENOEXEC").And.Message.Contains("32-bit"));
    }

    private static RunResult Run(string program, KernelMode mode, bool trusted)
    {
        var machine = new Machine(new MachineOptions { KernelMode = mode, Trusted = trusted });
        machine.Start(program);
        return machine.Run(RunLimits.Instructions(20_000_000));
    }

    private string Write(byte[] image)
    {
        string path = Path.GetTempFileName();
        files.Add(path);
        File.WriteAllBytes(path, image);
        return path;
    }
}
