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

        public List<AccountingRegion> Regions { get; } = new();

        public void Charge(int syscallNumber, long bytesCopied) => Charges.Add((syscallNumber, bytesCopied));

        public List<(long Length, bool ToUser)> Copies { get; } = new();

        public void ChargeCopy(ulong user, long length, bool toUser) => Copies.Add((length, toUser));

        public void EnterRegion(AccountingRegion region) => Regions.Add(region);
    }

    [TestCase(KernelMode.Stock, false)]
    [TestCase(KernelMode.Kml, true)]
    public void EachBodyIsChargedWithItsCopiedBytes(KernelMode mode, bool trusted)
    {
        byte[] image = ElfImageBuilder.Program(a =>
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
        });
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, image);
            var meter = new RecordingMeter();
            var machine = new Machine(new MachineOptions { KernelMode = mode, Trusted = trusted, KernelWorkMeter = meter });
            machine.Start(path);
            RunResult result = machine.Run(RunLimits.Instructions(1_000_000));
            Assert.Multiple(() =>
            {
                Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Exited), result.Message);
                Assert.That(meter.Charges, Is.EqualTo(new[] { (1, 3L), (231, 0L) }));
                Assert.That(meter.Copies, Is.EqualTo(new[] { (3L, false) }), "write's copy_from_user goes through the meter");
                Assert.That(meter.Regions, Does.Contain(AccountingRegion.SyscallBody).And.Contain(AccountingRegion.SyscallEntryExit));
            });
        }
        finally
        {
            File.Delete(path);
        }
    }
}
