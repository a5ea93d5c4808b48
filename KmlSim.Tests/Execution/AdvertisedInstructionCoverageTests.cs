using Iced.Intel;
using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Memory;

namespace KmlSim.Tests.Execution;

/// <summary>
/// Coverage as a measured fact: every Iced <see cref="Code"/> valid in 64-bit mode whose CPUID features the
/// simulated Opteron 850 reports (<see cref="AdvertisedFeatures"/>, read from the simulator's own CPUID) is
/// encoded with simple operands, decoded by the simulator and executed once at CPL 0. It counts as covered
/// when it runs or takes any exception but #UD (a #GP from a bad MSR number, a #PF, a #DE are that
/// instruction's own behaviour), or when it raises the #UD a K8 raises for it in 64-bit mode
/// (<see cref="K8InvalidOpcodes"/>). Those left out are listed in <see cref="LeftOut"/> with the reason; those
/// not implemented yet in <see cref="NotYetImplemented"/>. The test prints the counts.
/// </summary>
public class AdvertisedInstructionCoverageTests
{
    private const ulong CodeAddress = 0x40_0000;
    private const ulong Data = 0x60_0000;
    private const ulong Stack = 0x80_0000;

    /// <summary>Instructions the K8 itself raises #UD for in 64-bit mode, with the reason.</summary>
    private static readonly Dictionary<Mnemonic, string> K8InvalidOpcodes = new()
    {
        [Mnemonic.Sysenter] = "AMD64 APM vol. 3: SYSENTER is invalid in long mode on AMD processors",
        [Mnemonic.Sysexit] = "AMD64 APM vol. 3: SYSEXIT is invalid in long mode on AMD processors",
        [Mnemonic.Sysexitq] = "AMD64 APM vol. 3: SYSEXIT is invalid in long mode on AMD processors",
        [Mnemonic.Lahf] = "CPUID 8000_0001h ECX bit 0 (LAHF/SAHF in 64-bit mode) is clear on this Opteron",
        [Mnemonic.Sahf] = "CPUID 8000_0001h ECX bit 0 (LAHF/SAHF in 64-bit mode) is clear on this Opteron",
        [Mnemonic.Ud0] = "raising #UD is what UD0 does",
        [Mnemonic.Ud1] = "raising #UD is what UD1 does",
        [Mnemonic.Ud2] = "raising #UD is what UD2 does",
    };

    /// <summary>Codes deliberately not covered, with the reason (matched by <see cref="LeftOutReason"/>).</summary>
    private static readonly (Func<Code, bool> Matches, string Reason)[] LeftOut =
    [
        (code => code.ToString().Contains("_rel8_16", StringComparison.Ordinal) || code.ToString().Contains("_rel16", StringComparison.Ordinal)
            || code is Code.Retnw or Code.Retnw_imm16 or Code.Call_rm16 or Code.Jmp_rm16,
            "66h-prefixed near branches: a K8 truncates the target to 16 bits, the decoder (Iced in its default, Intel mode) ignores the prefix; no compiler emits them"),
        (code => code is Code.Fstenv_m14byte or Code.Fstenv_m28byte or Code.Fstcw_m2byte or Code.Feni or Code.Fdisi or Code.Fclex or Code.Finit
            or Code.Fsetpm or Code.Fsave_m94byte or Code.Fsave_m108byte or Code.Fstsw_m2byte or Code.Fstsw_AX,
            "WAIT followed by the FN form: Iced decodes the two instructions separately, and both are covered"),
        (code => code == Code.Sysretd, "SYSRET without REX.W returns to compatibility mode, which the machine does not model (it raises #UD there)"),
        (code => code is Code.Ud0 or Code.Zero_bytes, "not an instruction Iced decodes in its default mode (UD0 without ModRM, Iced's zero-length pseudo-code)"),
    ];

    /// <summary>
    /// Advertised instructions the interpreter does not execute yet (they raise #UD where a K8 would run
    /// them): listed so that the count is a measured fact and anything else that stops working fails here.
    /// </summary>
    private static readonly HashSet<Mnemonic> NotYetImplemented =
    [
        Mnemonic.Insb, Mnemonic.Insw, Mnemonic.Insd, Mnemonic.Outsb, Mnemonic.Outsw, Mnemonic.Outsd, Mnemonic.In, Mnemonic.Out,
        Mnemonic.Pushf, Mnemonic.Popf, Mnemonic.Retf, Mnemonic.Iret, Mnemonic.Iretd, Mnemonic.Int1,
        Mnemonic.Sldt, Mnemonic.Lldt, Mnemonic.Verr, Mnemonic.Verw, Mnemonic.Smsw, Mnemonic.Lmsw, Mnemonic.Lar, Mnemonic.Lsl,
        Mnemonic.Clts, Mnemonic.Invd, Mnemonic.Wbinvd, Mnemonic.Lss, Mnemonic.Lfs, Mnemonic.Lgs,
    ];

    private static bool IsNotYetImplemented(Code code) =>
        NotYetImplemented.Contains(code.Mnemonic()) || code is Code.Mov_r64_dr or Code.Mov_dr_r64 || code.IsCallFarIndirect() || code.IsJmpFarIndirect();

    private static string? LeftOutReason(Code code) => LeftOut.FirstOrDefault(l => l.Matches(code)).Reason;

    /// <summary>The CPUID features of Iced's taxonomy that the simulated CPUID reports (leaf 1 EDX, leaf 8000_0001h EDX/ECX).</summary>
    private static HashSet<CpuidFeature> AdvertisedFeatures()
    {
        var m = new SnippetMachine();
        (uint _, uint _, uint ecx1, uint edx1) = Query(m, 1);
        (uint _, uint _, uint ecxE, uint edxE) = Query(m, 0x8000_0001);
        var features = new HashSet<CpuidFeature>
        {
            CpuidFeature.INTEL8086, CpuidFeature.INTEL186, CpuidFeature.INTEL286, CpuidFeature.INTEL386, CpuidFeature.INTEL486,
            CpuidFeature.CPUID, CpuidFeature.MULTIBYTENOP, CpuidFeature.PAUSE,
        };
        void Add(bool present, CpuidFeature feature)
        {
            if (present)
            {
                features.Add(feature);
            }
        }

        Add((edx1 & 1) != 0, CpuidFeature.FPU);
        Add((edx1 & 1) != 0, CpuidFeature.FPU287);
        Add((edx1 & 1) != 0, CpuidFeature.FPU387);
        Add((edx1 & (1 << 4)) != 0, CpuidFeature.TSC);
        Add((edx1 & (1 << 5)) != 0, CpuidFeature.MSR);
        Add((edx1 & (1 << 8)) != 0, CpuidFeature.CX8);
        Add((edx1 & (1 << 11)) != 0, CpuidFeature.SEP);
        Add((edx1 & (1 << 15)) != 0, CpuidFeature.CMOV);
        Add((edx1 & (1 << 19)) != 0, CpuidFeature.CLFSH);
        Add((edx1 & (1 << 23)) != 0, CpuidFeature.MMX);
        Add((edx1 & (1 << 24)) != 0, CpuidFeature.FXSR);
        Add((edx1 & (1 << 25)) != 0, CpuidFeature.SSE);
        Add((edx1 & (1 << 26)) != 0, CpuidFeature.SSE2);
        Add((ecx1 & 1) != 0, CpuidFeature.SSE3);
        Add((edxE & (1 << 11)) != 0, CpuidFeature.SYSCALL);
        Add((edxE & (1 << 29)) != 0, CpuidFeature.X64);
        Add((edxE & (1u << 30)) != 0, CpuidFeature.D3NOWEXT);
        Add((edxE & (1u << 31)) != 0, CpuidFeature.D3NOW);
        Add((edxE & (1u << 31)) != 0 || (ecxE & (1 << 8)) != 0, CpuidFeature.PREFETCHW); // PREFETCH/PREFETCHW come with 3DNow!
        Add((ecxE & (1 << 5)) != 0, CpuidFeature.LZCNT);
        Add((ecxE & (1 << 6)) != 0, CpuidFeature.SSE4A);
        return features;
    }

    private static (uint, uint, uint, uint) Query(SnippetMachine m, uint leaf)
    {
        m.LoadCode(CodeAddress, a => a.cpuid());
        m.Cpu.SetRegister(Gpr.Rax, leaf);
        m.Cpu.SetRegister(Gpr.Rcx, 0);
        m.Cpu.Rip = CodeAddress;
        m.Run(1);
        return ((uint)m.Cpu.GetRegister(Gpr.Rax), (uint)m.Cpu.GetRegister(Gpr.Rbx), (uint)m.Cpu.GetRegister(Gpr.Rcx), (uint)m.Cpu.GetRegister(Gpr.Rdx));
    }

    /// <summary>The codes the reference CPU advertises: legacy or 3DNow! encodings valid in 64-bit mode, all of whose features it reports.</summary>
    private static List<Code> AdvertisedCodes()
    {
        HashSet<CpuidFeature> features = AdvertisedFeatures();
        return Enum.GetValues<Code>().Where(code =>
        {
            if (code == Code.INVALID || code.Mnemonic() is Mnemonic.Db or Mnemonic.Dw or Mnemonic.Dd or Mnemonic.Dq)
            {
                return false;
            }

            OpCodeInfo op = code.ToOpCode();
            return op.Mode64 && op.Encoding is EncodingKind.Legacy or EncodingKind.D3NOW && code.CpuidFeatures().All(features.Contains);
        }).ToList();
    }

    [Test]
    public void EveryAdvertisedInstructionExecutes()
    {
        List<Code> advertised = AdvertisedCodes();
        var missing = new List<string>();
        var notYet = new List<Code>();
        var leftOut = new List<Code>();
        int covered = 0;
        foreach (Code code in advertised)
        {
            if (LeftOutReason(code) is not null)
            {
                leftOut.Add(code);
                continue;
            }

            string? problem = Execute(code);
            if (problem is null)
            {
                covered++;
            }
            else if (problem == "#UD" && IsNotYetImplemented(code))
            {
                notYet.Add(code);
            }
            else
            {
                missing.Add($"{code}: {problem}");
            }
        }

        TestContext.Out.WriteLine($"covered {covered} / advertised {advertised.Count}; not yet implemented {notYet.Count}; left out {leftOut.Count}");
        TestContext.Out.WriteLine($"  not yet implemented: {string.Join(", ", notYet)}");
        foreach (Code code in leftOut)
        {
            TestContext.Out.WriteLine($"  left out {code}: {LeftOutReason(code)}");
        }

        Assert.That(missing, Is.Empty, $"{missing.Count} advertised instructions do not execute:\n{string.Join("\n", missing)}");
    }

    /// <summary>Runs one instance of <paramref name="code"/>; null when it executes as a K8 does, else what went wrong.</summary>
    private static string? Execute(Code code)
    {
        Instruction instruction;
        try
        {
            instruction = CoverageOperands.Create(code, CodeAddress);
        }
        catch (ArgumentException e)
        {
            return $"no operands: {e.Message}";
        }

        var writer = new Native.BufferCodeWriter();
        if (!Encoder.Create(64, writer).TryEncode(instruction, CodeAddress, out _, out string? error))
        {
            return $"cannot encode: {error}";
        }

        byte[] bytes = writer.Bytes.ToArray();
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(bytes), CodeAddress);
        decoder.Decode(out Instruction decoded);
        if (decoded.Code != code)
        {
            return $"the simulator's decoder reads {decoded.Code}";
        }

        var m = new SnippetMachine();
        m.LoadCode(CodeAddress, [.. bytes, 0x90], PageFlags.User | PageFlags.Writable);
        m.Map(Data, 0x10000, PageFlags.User | PageFlags.Writable);
        m.Map(Stack - 0x10000, 0x20000, PageFlags.User | PageFlags.Writable);
        for (int r = 0; r < 16; r++)
        {
            m.Cpu.SetRegister((Gpr)r, Data + 0x8000);
        }

        m.Cpu.SetRegister(Gpr.Rsp, Stack);
        m.Cpu.WriteMsr(Msr.Efer, m.Cpu.Efer | Msr.EferSce); // SYSCALL/SYSRET are enabled, as under Linux
        m.Cpu.SetRegister(Gpr.Rcx, 1); // a small count for REP forms, a valid MSR index is not needed
        m.Cpu.Rip = CodeAddress;
        StopReason stop = m.Run(1);
        bool invalid = stop == StopReason.Fault && m.Cpu.LastFault?.Vector == ExceptionVector.InvalidOpcode;
        bool k8Invalid = K8InvalidOpcodes.ContainsKey(code.Mnemonic());
        return (invalid, k8Invalid) switch
        {
            (false, false) => null,
            (true, true) => null,
            (true, false) => "#UD",
            (false, true) => $"executes, but a K8 raises #UD: {K8InvalidOpcodes[code.Mnemonic()]}",
        };
    }
}
