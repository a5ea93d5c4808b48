using KmlSim.Kernel.Elf;
using KmlSim.Tests.Kernel.Elf;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Kernel;

/// <summary>The public face: start once, run in slices, and the result of a finished run stays.</summary>
public class MachineTests
{
    private string? path;

    [TearDown]
    public void Delete()
    {
        if (path is not null)
        {
            File.Delete(path);
        }
    }

    private string Write(byte[] image)
    {
        path = Path.GetTempFileName();
        File.WriteAllBytes(path, image);
        return path;
    }

    private string Countdown() => Write(ElfImageBuilder.Program(a =>
    {
        var top = a.CreateLabel();
        a.mov(ecx, 1000);
        a.Label(ref top);
        a.dec(ecx);
        a.jne(top);
        a.mov(eax, 231);
        a.mov(edi, 5);
        a.syscall();
    }));

    [Test]
    public void ARunCanBeSplitIntoSlicesAndTheFinalResultStays()
    {
        var machine = new Machine();
        machine.Start(Countdown());
        RunResult first = machine.Run(RunLimits.Instructions(100));
        RunResult second = machine.Run(RunLimits.None);
        RunResult again = machine.Run(RunLimits.None);
        Assert.Multiple(() =>
        {
            Assert.That(first.Outcome, Is.EqualTo(RunOutcome.Limit));
            Assert.That(first.Instructions, Is.EqualTo(100));
            Assert.That(second.Outcome, Is.EqualTo(RunOutcome.Exited));
            Assert.That(second.ExitCode, Is.EqualTo(5));
            // User code, then the stock SYSCALL entry up to the body of exit_group (entry-paths.md steps 1-10:
            // swapgs, 2 GS moves, sti, sub, 8 + 2 frame stores, 2 thread-info instructions, test, jnz, cmp,
            // ja, mov, call = 23) and the host call (vmcall) that runs the body, which ends the process.
            Assert.That(second.Instructions, Is.EqualTo(1 + 2000 + 3 + 23 + 1));
            Assert.That(second.Syscalls, Is.EqualTo(1));
            Assert.That(again, Is.SameAs(second));
        });
    }

    [Test]
    public void MisuseIsRefused()
    {
        var machine = new Machine();
        Assert.That(() => machine.Run(RunLimits.None), Throws.InvalidOperationException);
        machine.Start(Countdown());
        Assert.That(() => machine.Start(Countdown()), Throws.InvalidOperationException);
        Assert.That(() => RunLimits.Instructions(0), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void StartReportsBadFilesWithTypedExceptions()
    {
        Assert.That(() => new Machine().Start("/nonexistent/guest"), Throws.InstanceOf<IOException>());
        Assert.That(() => new Machine().Start(Write("not an executable"u8.ToArray())), Throws.TypeOf<ElfFormatException>());
    }
}
