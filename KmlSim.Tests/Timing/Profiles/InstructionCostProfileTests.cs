using Iced.Intel;
using KmlSim.Interrupts;
using KmlSim.Memory;
using KmlSim.Observation;
using KmlSim.Tests.Interrupts;
using KmlSim.Timing;
using KmlSim.Timing.Costs;
using KmlSim.Timing.Profiles;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Timing.Profiles;

/// <summary>
/// Instruction costs are profile data: a class's cost or one form's override, changed with <c>with { }</c>,
/// changes what that instruction costs in the model and nothing else; classes come from Iced's metadata.
/// </summary>
[Category("Timing")]
public sealed class InstructionCostProfileTests
{
    private const ulong KernelEntry = 0xFFFF_8000_0010_0000;
    private static readonly CpuProfile K8 = CpuProfiles.Opteron850;

    [Test]
    public void RaisingOneClasssLatencyRaisesADependentChainOfItByTheDifference()
    {
        // A chain of dependent BSF r64 (K8: VectorPath L 9, [AMD-25112] p.275): each link waits for the previous one.
        CpuProfile slower = K8 with { Instructions = K8.Instructions with { BitScanForward64 = K8.Instructions.BitScanForward64 with { Latency = 20, Occupancy = 20 } } };
        static void Chain(Assembler a)
        {
            a.bsf(rax, rax);
            a.bsf(rax, rax);
        }

        double baseline = TimedSnippet.PerIteration(Chain, 100, 1100, Seed).CyclesPerIteration;
        double changed = TimedSnippet.PerIteration(Chain, 100, 1100, Seed, slower).CyclesPerIteration;
        Assert.That(changed - baseline, Is.EqualTo(2 * (20 - 9)).Within(0.05), $"baseline {baseline}, changed {changed}");
    }

    [Test]
    public void RaisingSyscallsLatencyRaisesARoundTripByTheDifference()
    {
        // SYSCALL is serialising: its whole latency lies on the path (K8: 27, [AMD-25112] Table 13 p.300).
        CpuProfile slower = K8 with { Instructions = K8.Instructions with { Syscall = K8.Instructions.Syscall with { Latency = 127, Occupancy = 127 } } };
        double baseline = SyscallLoop(K8), changed = SyscallLoop(slower);
        Assert.That(changed - baseline, Is.EqualTo(100).Within(0.05), $"baseline {baseline}, changed {changed}");
    }

    [Test]
    public void AnOverrideChangesItsFormOnly()
    {
        CpuProfile overridden = K8 with
        {
            Instructions = K8.Instructions with { Overrides = K8.Instructions.Overrides.SetItem(Code.Imul_r64_rm64, K8.Instructions.Multiply64 with { Latency = 10 }) },
        };
        CostTable k8 = CostTable.For(K8.Instructions), changed = CostTable.For(overridden.Instructions);
        Assert.Multiple(() =>
        {
            Assert.That(changed[Code.Imul_r64_rm64].Latency, Is.EqualTo(10));
            Assert.That(changed[Code.Imul_r64_rm64_imm32], Is.EqualTo(k8[Code.Imul_r64_rm64_imm32]), "the class's other forms keep the class cost");
            Assert.That(k8[Code.Imul_r64_rm64].Latency, Is.EqualTo(4), "the original profile is untouched (IMUL r64 L 4, [InstLat-X2])");
        });

        static void Chain(Assembler a) => a.imul(rax, rbx);
        double baseline = TimedSnippet.PerIteration(Chain, 100, 1100, Seed).CyclesPerIteration;
        double slower = TimedSnippet.PerIteration(Chain, 100, 1100, Seed, overridden).CyclesPerIteration;
        Assert.That(slower - baseline, Is.EqualTo(10 - 4).Within(0.05));
    }

    [Test]
    public void TheInterruptDeliveryCostIsTheProfiles()
    {
        CpuProfile slower = K8 with { Instructions = K8.Instructions with { InterruptDelivery = K8.Instructions.InterruptDelivery with { Latency = 170 } } };
        Assert.That(CostTable.For(slower.Instructions).InterruptDelivery.Latency, Is.EqualTo(170));
    }

    [TestCase(Code.Bsf_r64_rm64, InstructionClass.BitScanForward64)]
    [TestCase(Code.Bsf_r32_rm32, InstructionClass.BitScanForward32)]
    [TestCase(Code.Imul_rm64, InstructionClass.MultiplyWide64)]
    [TestCase(Code.Imul_r32_rm32_imm8, InstructionClass.Multiply32)]
    [TestCase(Code.Xchg_rm64_r64, InstructionClass.ExchangeMemory)]
    [TestCase(Code.Xchg_r64_RAX, InstructionClass.ExchangeRegister)]
    [TestCase(Code.Jmp_rm64, InstructionClass.IndirectJump)]
    [TestCase(Code.Jmp_m1664, InstructionClass.FarTransfer)]
    [TestCase(Code.Call_rel32_64, InstructionClass.Call)]
    [TestCase(Code.Jrcxz_rel8_64, InstructionClass.JumpIfCountZero)]
    [TestCase(Code.Cmovne_r64_rm64, InstructionClass.ConditionalMove)]
    [TestCase(Code.Setne_rm8, InstructionClass.SetCondition)]
    [TestCase(Code.Fcmovb_st0_sti, InstructionClass.FpOther)]
    [TestCase(Code.Movsq_m64_m64, InstructionClass.MoveString)]
    [TestCase(Code.Movsd_xmm_xmmm64, InstructionClass.VectorMoveScalar)]
    [TestCase(Code.Cmpsd_xmm_xmmm64_imm8, InstructionClass.AddScalar)]
    [TestCase(Code.Movq_xmm_rm64, InstructionClass.MoveGeneralToVector)]
    [TestCase(Code.Movdqa_xmm_xmmm128, InstructionClass.VectorMovePacked)]
    [TestCase(Code.Paddd_xmm_xmmm128, InstructionClass.VectorSimplePacked)]
    [TestCase(Code.Cvtsi2sd_xmm_rm64, InstructionClass.ConvertScalar)]
    [TestCase(Code.Mov_cr_r64, InstructionClass.MoveToControlRegister)]
    [TestCase(Code.Pshufb_xmm_xmmm128, InstructionClass.Unclassified)] // SSSE3: not a K8 instruction
    public void ClassesComeFromIcedsMetadata(Code code, InstructionClass expected) =>
        Assert.That(InstructionClassifier.Of(code), Is.EqualTo(expected));

    [Test]
    public void EveryClassHasACost()
    {
        foreach (InstructionClass c in Enum.GetValues<InstructionClass>().Where(c => c != InstructionClass.Unclassified))
        {
            Assert.That(K8.Instructions[c].Known, Is.True, c.ToString());
        }
    }

    [Test]
    public void KernelPathsAreProfileData()
    {
        // getppid's path: 9 instructions and an LFENCE (2.6.11 kernel/timer.c:1140); one more fence adds LFENCE's 5 ([InstLat]).
        CpuProfile twoFences = K8 with { KernelPaths = K8.KernelPaths with { Getppid = K8.KernelPaths.Getppid with { Fences = 2 } } };
        var k8 = new KmlSim.Timing.Accounting.KernelWorkCosts(K8);
        var changed = new KmlSim.Timing.Accounting.KernelWorkCosts(twoFences);
        Assert.That(changed.PathCycles(KernelPathId.Getppid) - k8.PathCycles(KernelPathId.Getppid), Is.EqualTo(5));
    }

    private static void Seed(SnippetMachine m) => m.Cpu.SetRegister(KmlSim.Isa.Gpr.Rax, 0x80);

    /// <summary>Cycles per iteration of a user loop making one SYSCALL to a bare SYSRETQ handler (as TimingModelTests' round trip).</summary>
    private static double SyscallLoop(CpuProfile profile)
    {
        long Cycles(int iterations)
        {
            var k = new KernelMachine();
            k.Machine.LoadCode(KernelEntry, a => a.sysretq(), PageFlags.None);
            k.Cpu.Lstar = KernelEntry;
            k.StopOn(ExceptionVector.GeneralProtection);
            k.User(a =>
            {
                var loop = a.CreateLabel();
                a.mov(r15, iterations);
                a.Label(ref loop);
                a.syscall();
                a.dec(r15);
                a.jnz(loop);
                a.hlt(); // #GP at CPL 3 stops the run
            });
            var model = (TimingModel)profile.Attach(k.Cpu);
            k.Machine.Run(1_000_000);
            return model.Report().TotalCycles;
        }

        return (Cycles(300) - Cycles(100)) / 200.0;
    }
}
