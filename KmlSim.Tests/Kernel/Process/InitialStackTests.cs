using System.Text;
using KmlSim.Isa;
using KmlSim.Kernel.Process;
using KmlSim.Tests.Kernel.Elf;

namespace KmlSim.Tests.Kernel.Process;

/// <summary>The System V entry stack: argc, argv, envp and the auxiliary vector, laid out as Linux does.</summary>
public class InitialStackTests
{
    private static string CString(GuestProcess p, ulong address)
    {
        var bytes = new List<byte>();
        for (byte b; (b = p.Peek(address + (ulong)bytes.Count, 1)[0]) != 0;)
        {
            bytes.Add(b);
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static (GuestProcess Process, ulong Rsp, Dictionary<ulong, ulong> Auxv, List<ulong> Words) Start(int seed = 0)
    {
        GuestProcess p = TestProcess.Exec(ElfImageBuilder.Program(a => a.hlt()), argv: ["prog", "alpha", "βeta"], environment: ["HOME=/", "X=1"], seed: seed);
        ulong rsp = p.Cpu.GetRegister(Gpr.Rsp);
        var words = new List<ulong>();
        for (ulong at = rsp; at < ProcessMemory.StackTop; at += 8)
        {
            words.Add(p.Peek64(at));
        }

        int auxStart = 1 + 3 + 1 + 2 + 1;
        var auxv = new Dictionary<ulong, ulong>();
        for (int i = auxStart; words[i] != AuxiliaryVectorType.Null; i += 2)
        {
            auxv[words[i]] = words[i + 1];
        }

        return (p, rsp, auxv, words);
    }

    [Test]
    public void RspIsSixteenByteAlignedAtArgc()
    {
        var (_, rsp, _, words) = Start();
        Assert.Multiple(() =>
        {
            Assert.That(rsp % 16, Is.Zero);
            Assert.That(words[0], Is.EqualTo(3), "argc");
        });
    }

    [Test]
    public void ArgvAndEnvpPointAtTheirStringsAndEndWithNull()
    {
        var (p, _, _, words) = Start();
        Assert.Multiple(() =>
        {
            Assert.That(CString(p, words[1]), Is.EqualTo("prog"));
            Assert.That(CString(p, words[2]), Is.EqualTo("alpha"));
            Assert.That(CString(p, words[3]), Is.EqualTo("βeta"));
            Assert.That(words[4], Is.Zero);
            Assert.That(CString(p, words[5]), Is.EqualTo("HOME=/"));
            Assert.That(CString(p, words[6]), Is.EqualTo("X=1"));
            Assert.That(words[7], Is.Zero);
        });
    }

    [Test]
    public void TheAuxiliaryVectorDescribesTheProgramAndTheMachine()
    {
        var (p, _, auxv, _) = Start();
        Assert.Multiple(() =>
        {
            Assert.That(auxv[AuxiliaryVectorType.PageSize], Is.EqualTo(4096));
            Assert.That(auxv[AuxiliaryVectorType.Entry], Is.EqualTo(ElfImageBuilder.CodeAddress));
            Assert.That(auxv[AuxiliaryVectorType.ProgramHeaderSize], Is.EqualTo(56));
            Assert.That(auxv[AuxiliaryVectorType.ProgramHeaderCount], Is.EqualTo(3));
            Assert.That(auxv[AuxiliaryVectorType.InterpreterBase], Is.Zero);
            Assert.That(auxv[AuxiliaryVectorType.Flags], Is.Zero);
            Assert.That(auxv[AuxiliaryVectorType.Secure], Is.Zero);
            Assert.That(auxv[AuxiliaryVectorType.UserId], Is.EqualTo(ProcessIdentity.UserId));
            Assert.That(auxv[AuxiliaryVectorType.EffectiveUserId], Is.EqualTo(ProcessIdentity.UserId));
            Assert.That(auxv[AuxiliaryVectorType.GroupId], Is.EqualTo(ProcessIdentity.GroupId));
            Assert.That(auxv[AuxiliaryVectorType.EffectiveGroupId], Is.EqualTo(ProcessIdentity.GroupId));
            Assert.That(auxv[AuxiliaryVectorType.HardwareCapabilities], Is.EqualTo(0x078BFBFF), "CPUID 1 EDX of the Opteron 850");
            Assert.That(auxv[AuxiliaryVectorType.ClockTick], Is.EqualTo(100));
            Assert.That(CString(p, auxv[AuxiliaryVectorType.Platform]), Is.EqualTo("x86_64"));
            Assert.That(CString(p, auxv[AuxiliaryVectorType.ExecutableFileName]), Is.EqualTo(TestProcess.Path));
            Assert.That(auxv, Does.ContainKey(AuxiliaryVectorType.Random));
        });
    }

    [Test]
    public void AtRandomIsSixteenSeededBytesOnTheStack()
    {
        var (p1, _, aux1, _) = Start(seed: 5);
        var (p2, _, aux2, _) = Start(seed: 5);
        var (p3, _, aux3, _) = Start(seed: 6);
        byte[] first = p1.Peek(aux1[AuxiliaryVectorType.Random], 16);
        Assert.Multiple(() =>
        {
            Assert.That(aux1[AuxiliaryVectorType.Random], Is.GreaterThan(ProcessMemory.StackTop - ProcessMemory.StackSize).And.LessThan(ProcessMemory.StackTop));
            Assert.That(p2.Peek(aux2[AuxiliaryVectorType.Random], 16), Is.EqualTo(first), "same seed, same bytes");
            Assert.That(p3.Peek(aux3[AuxiliaryVectorType.Random], 16), Is.Not.EqualTo(first), "another seed, other bytes");
        });
    }

    [Test]
    public void RegistersStartZeroButRsp()
    {
        var (p, rsp, _, _) = Start();
        Assert.Multiple(() =>
        {
            foreach (Gpr r in Enum.GetValues<Gpr>())
            {
                Assert.That(p.Cpu.GetRegister(r), Is.EqualTo(r == Gpr.Rsp ? rsp : 0), r.ToString());
            }

            Assert.That(p.Cpu.Cpl, Is.EqualTo(3));
        });
    }
}
