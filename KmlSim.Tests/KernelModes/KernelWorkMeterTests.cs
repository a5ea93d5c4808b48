using KmlSim.Observation;
using KmlSim.Tests.Kernel.Elf;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.KernelModes;

/// <summary>The kernel charges each completed system call body once, with the bytes it copied from or to user memory.</summary>
public class KernelWorkMeterTests
{
    private sealed class RecordingMeter : IKernelWorkMeter
    {
        public List<(int Syscall, long Bytes)> Charges { get; } = new();

        public List<(int Syscall, IoTarget Target)> Targets { get; } = new();

        public List<(ulong Page, bool Copied)> CopiesOnWrite { get; } = new();

        public void ChargeCopyOnWrite(ulong page, bool copied) => CopiesOnWrite.Add((page, copied));

        public List<AccountingRegion> Regions { get; } = new();

        public void Charge(SyscallIdentity call, long bytesCopied, IoTarget target)
        {
            Charges.Add(((int)call.Number, bytesCopied));
            Targets.Add(((int)call.Number, target));
        }

        public List<(long Length, bool ToUser)> Copies { get; } = new();

        public void ChargeCopy(ulong user, long length, bool toUser) => Copies.Add((length, toUser));

        public void EnterRegion(AccountingRegion region) => Regions.Add(region);
    }

    [TestCase(KernelMode.Stock, false)]
    [TestCase(KernelMode.Kml, true)]
    public void EachBodyIsChargedWithItsCopiedBytes(KernelMode mode, bool trusted)
    {
        var meter = new RecordingMeter();
        RunResult result = ElfImageBuilder.RunProgram(
            a =>
            {
                a.mov(rax, 0x0A6948); // "Hi\n"
                a.push(rax);
                a.mov(eax, 1); // write(1, rsp, 3)
                a.mov(edi, 1);
                a.mov(rsi, rsp);
                a.mov(edx, 3);
                a.syscall();
                a.mov(eax, 231);
                a.xor(edi, edi);
                a.syscall();
            },
            new MachineOptions { KernelMode = mode, Trusted = trusted, KernelWorkMeter = meter });
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Exited), result.Message);
            Assert.That(meter.Charges, Is.EqualTo(new[] { (1, 3L), (231, 0L) }));
            Assert.That(meter.Targets, Is.EqualTo(new[] { (1, IoTarget.Terminal), (231, IoTarget.Unspecified) }), "the write went to the host's standard output");
            Assert.That(meter.Copies, Is.EqualTo(new[] { (3L, false) }), "write's copy_from_user goes through the meter");
            Assert.That(meter.Regions, Does.Contain(AccountingRegion.SyscallBody).And.Contain(AccountingRegion.SyscallEntryExit));
        });
    }

    [Test]
    public void ReadsAndWritesNameWhatTheirDescriptorIs()
    {
        // pipe(fds); write(fds[1], rsp, 8); read(fds[0], rsp, 8); open("/dev/null", O_WRONLY); write(it, rsp, 8); exit
        var meter = new RecordingMeter();
        RunResult result = ElfImageBuilder.RunProgram(
            a =>
            {
                a.sub(rsp, 32);
                a.mov(eax, 22); // pipe(rsp)
                a.mov(rdi, rsp);
                a.syscall();
                a.mov(eax, 1); // write(fds[1], rsp, 8)
                a.mov(edi, __dword_ptr[rsp + 4]);
                a.mov(rsi, rsp);
                a.mov(edx, 8);
                a.syscall();
                a.xor(eax, eax); // read(fds[0], rsp + 8, 8)
                a.mov(edi, __dword_ptr[rsp]);
                a.lea(rsi, __qword_ptr[rsp + 8]);
                a.mov(edx, 8);
                a.syscall();
                a.mov(rax, 0x6C6C_756E_2F76_6564); // "dev/null"
                a.mov(__qword_ptr[rsp + 17], rax);
                a.mov(__byte_ptr[rsp + 16], (byte)'/');
                a.mov(__byte_ptr[rsp + 25], 0);
                a.mov(eax, 2); // open("/dev/null", O_WRONLY)
                a.lea(rdi, __qword_ptr[rsp + 16]);
                a.mov(esi, 1);
                a.syscall();
                a.mov(edi, eax); // write(it, rsp, 8)
                a.mov(eax, 1);
                a.mov(rsi, rsp);
                a.mov(edx, 8);
                a.syscall();
                a.mov(eax, 231);
                a.xor(edi, edi);
                a.syscall();
            },
            new MachineOptions { KernelWorkMeter = meter });
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Exited), result.Message);
            Assert.That(meter.Targets.Where(t => t.Syscall is 0 or 1), Is.EqualTo(new[] { (1, IoTarget.Pipe), (0, IoTarget.Pipe), (1, IoTarget.NullDevice) }));
            Assert.That(meter.Targets.Where(t => t.Syscall is 22 or 2).Select(t => t.Target), Is.All.EqualTo(IoTarget.Unspecified));
        });
    }

    [Test]
    public void ACopyOnWriteFaultAfterForkIsReported()
    {
        // fork(); both processes then write their stack (shared, read-only after fork): the first writer gets a
        // private copy, the second finds the frame its own and only makes it writable.
        var meter = new RecordingMeter();
        RunResult result = ElfImageBuilder.RunProgram(
            a =>
            {
                a.mov(eax, 57); // fork()
                a.syscall();
                a.mov(__qword_ptr[rsp - 64], rax); // a write to the stack page
                a.mov(edi, eax); // wait4(child, 0, 0, 0) in the parent; -1 (ECHILD) in the child
                a.test(eax, eax);
                a.jnz(a.@F);
                a.mov(edi, -1);
                a.AnonymousLabel();
                a.mov(eax, 61);
                a.xor(esi, esi);
                a.xor(edx, edx);
                a.xor(r10d, r10d);
                a.syscall();
                a.mov(eax, 231);
                a.xor(edi, edi);
                a.syscall();
            },
            new MachineOptions { KernelWorkMeter = meter });
        ulong stackPage = meter.CopiesOnWrite.Count > 0 ? meter.CopiesOnWrite[0].Page : 0;
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Exited), result.Message);
            Assert.That(meter.CopiesOnWrite, Does.Contain((stackPage, true)), "the first writer copies");
            Assert.That(meter.CopiesOnWrite, Does.Contain((stackPage, false)), "the second one reuses the frame");
            Assert.That(meter.CopiesOnWrite.Select(c => c.Page % 4096), Is.All.EqualTo(0UL), "pages, not addresses");
        });
    }
}
