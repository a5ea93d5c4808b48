using KmlSim.Execution;
using KmlSim.Kernel;
using KmlSim.Kernel.Process;
using KmlSim.KernelModes;
using KmlSim.Observation;
using KmlSim.Tests.Kernel.Elf;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.KernelModes;

/// <summary>
/// One getppid round trip, executed instruction by instruction, against the step lists of
/// the 2.6.11 entry.S and KML entry paths: how many instructions run on the user side and in the kernel, and
/// which of them are SYSCALL, SYSRET and SWAPGS.
/// </summary>
public class EntryPathCountTests
{
    private const ulong AfterSyscall = ElfImageBuilder.CodeAddress + 5 + 2; // mov eax, imm32; syscall

    private static readonly byte[] Getppid = ElfImageBuilder.Program(a =>
    {
        a.mov(eax, 110);
        a.syscall();
        a.mov(edi, eax);
        a.mov(eax, 231);
        a.syscall();
    });

    // Stock kernel side: entry steps 1-10 (swapgs, 2 GS moves, sti, sub, 8 + 2 stores, 2 thread-info
    // instructions, test + jnz, cmp + ja, mov rcx, call) = 23; the body (vmcall + ret) = 2; step 12 = 1;
    // exit steps 13-19 (mov edi, 2 thread-info, cli, load + and + jnz, load RIP, 8 loads, load RSP,
    // swapgs, sysretq) = 19. Total 45; user side: mov eax + syscall = 2.
    [TestCase(false, 2, 45, 1, 1, 2, 0)]
    // KML kernel side: direct entry steps 1-5 (lea, pushf, pop, cli, jmp, 2 GS moves, sti, jmp) = 9; the
    // shared steps 5-12 (sub, 10 stores, 2 thread-info, test + jnz, cmp + ja, mov, call, vmcall + ret,
    // result store) = 22; exit 13-14 (7) + the KML test (bt + jc) = 9; KML exit steps 7-10 (load RIP,
    // 8 loads, load RSP, push, popf, jmp) = 13; the return label's ret = 1. Total 54; user side: mov eax
    // + the syscall executed as a call = 2.
    [TestCase(true, 2, 54, 0, 0, 0, 1)]
    public void OneGetppidRoundTrip(bool kml, int user, int kernel, int syscalls, int sysrets, int swapgs, int translated)
    {
        var hardware = new SnippetMachine();
        IKernelModePolicy policy = kml ? new KernelModeLinux() : new StockLinux();
        var simulated = new SimulatedKernel(hardware, policy, IKernelWorkMeter.None);
        string guestPath = kml ? "/trusted/bin/getppid" : "/bin/getppid";
        simulated.Exec(new KmlSim.Kernel.Files.VirtualFileSystem(0), Getppid, guestPath, guestPath, guestPath, [guestPath], [], [], 0);
        Cpu cpu = hardware.Cpu;
        int userCount = 0, kernelCount = 0, syscallCount = 0, sysretCount = 0, swapgsCount = 0;
        while (cpu.Rip != AfterSyscall)
        {
            string instruction = cpu.Disassemble(cpu.Rip);
            syscallCount += instruction.StartsWith("syscall", StringComparison.Ordinal) && !kml ? 1 : 0;
            sysretCount += instruction.Contains("sysret", StringComparison.Ordinal) ? 1 : 0;
            swapgsCount += instruction.StartsWith("swapgs", StringComparison.Ordinal) ? 1 : 0;
            if (SimulatedKernel.IsKernelAddress(cpu.Rip))
            {
                kernelCount++;
            }
            else
            {
                userCount++;
            }

            Assert.That(cpu.Run(1), Is.EqualTo(StopReason.InstructionLimit));
            Assert.That(userCount + kernelCount, Is.LessThan(200), "the round trip did not come back");
        }

        Assert.Multiple(() =>
        {
            Assert.That(cpu.GetRegister(Isa.Gpr.Rax), Is.EqualTo((ulong)ProcessIdentity.ParentProcessId));
            Assert.That(userCount, Is.EqualTo(user));
            Assert.That(kernelCount, Is.EqualTo(kernel));
            Assert.That(syscallCount, Is.EqualTo(syscalls));
            Assert.That(sysretCount, Is.EqualTo(sysrets));
            Assert.That(swapgsCount, Is.EqualTo(swapgs));
            Assert.That(cpu.TranslatedSyscalls, Is.EqualTo(translated));
            Assert.That(cpu.Cpl, Is.EqualTo(kml ? 0 : 3));
        });
    }
}
