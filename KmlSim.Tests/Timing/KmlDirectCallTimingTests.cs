using KmlSim.Kernel.Elf;
using KmlSim.Tests.Kernel.Elf;
using KmlSim.Timing.Profiles;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Timing;

/// <summary>
/// A trusted process's SYSCALL runs as KML's patched library's near call to the direct entry
/// (KML's kml_4.0_001.diff: a system call as a function call), so the timing model must see a CALL:
/// the direct entry's final RET then matches it on the 12-entry return stack ([AMD-25112] §6.4), and no far
/// transfer is paid. Under Stock the same program pays SYSCALL and SYSRET.
/// </summary>
[Category("Timing")]
public class KmlDirectCallTimingTests
{
    private const int Calls = 2000;
    private readonly List<string> files = [];

    [TearDown]
    public void DeleteImages()
    {
        foreach (string file in files)
        {
            File.Delete(file);
        }
    }

    [Test]
    public void TranslatedSystemCallsPredictTheirReturnsAndCostLessThanStock()
    {
        string program = Write(ElfImageBuilder.Program(a =>
        {
            var loop = a.CreateLabel();
            var getppid = a.CreateLabel();
            a.mov(ebx, Calls);
            a.Label(ref loop);
            a.call(getppid);
            a.dec(ebx);
            a.jnz(loop);
            a.mov(eax, 60); // exit(0)
            a.xor(edi, edi);
            a.syscall();
            a.Label(ref getppid);
            a.mov(eax, 110); // getppid
            a.syscall();
            a.ret();
        }));

        RunResult kml = Run(program, KernelMode.Kml, trusted: true);
        RunResult stock = Run(program, KernelMode.Stock, trusted: false);
        Assert.Multiple(() =>
        {
            Assert.That(kml.TranslatedSyscalls, Is.EqualTo(Calls + 1));
            Assert.That(kml.Timing!.Counters["returnMispredicts"], Is.LessThan(Calls / 100), "each translated call is matched by the entry's RET");
            Assert.That(kml.Timing.TotalCycles, Is.LessThan(stock.Timing!.TotalCycles), "no SYSCALL/SYSRET/SWAPGS under KML");
        });
    }

    private static RunResult Run(string program, KernelMode mode, bool trusted)
    {
        var machine = new Machine(new MachineOptions { KernelMode = mode, Trusted = trusted, Timing = CpuProfiles.Opteron850 });
        machine.Start(program);
        RunResult result = machine.Run(RunLimits.Instructions(10_000_000));
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Exited), result.Message);
        return result;
    }

    private string Write(byte[] image)
    {
        string path = Path.GetTempFileName();
        files.Add(path);
        File.WriteAllBytes(path, image);
        return path;
    }
}
