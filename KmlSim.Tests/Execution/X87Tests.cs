using Iced.Intel;
using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Memory;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Execution;

/// <summary>
/// x87 behaviour pinned by the AMD64 APM vol. 1 ch. 6 / vol. 5 and by values recorded on the host CPU
/// (constants and status words were printed by a C program with inline FLDPI/FNSTSW etc.).
/// </summary>
public class X87Tests
{
    private const ulong Code = 0x400000;
    private const ulong Data = 0x10000;

    private static SnippetMachine Run(Action<Assembler> build, int instructions, Action<SnippetMachine>? setup = null)
    {
        var m = new SnippetMachine();
        m.LoadCode(Code, build);
        m.Map(Data, 0x2000, PageFlags.User | PageFlags.Writable);
        m.Cpu.SetRegister(Gpr.Rsi, Data);
        setup?.Invoke(m);
        Assert.That(m.Run(instructions), Is.EqualTo(StopReason.InstructionLimit), () => m.Cpu.LastFault?.Message ?? "");
        return m;
    }

    private static string M80(SnippetMachine m, ulong address)
    {
        byte[] b = m.Peek(address, 10);
        return $"{BitConverter.ToUInt16(b, 8):X4}:{BitConverter.ToUInt64(b, 0):X16}";
    }

    private static void PokeDouble(SnippetMachine m, ulong address, double value) => m.Poke(address, BitConverter.GetBytes(value));

    private static void PokeControlWord(SnippetMachine m, ushort cw) => m.Poke(Data + 0x100, BitConverter.GetBytes(cw));

    [TestCase(0, "3FFF:8000000000000000")]
    [TestCase(1, "4000:C90FDAA22168C235")]
    [TestCase(2, "3FFF:B8AA3B295C17F0BC")]
    [TestCase(3, "4000:D49A784BCD1B8AFE")]
    [TestCase(4, "3FFD:9A209A84FBCFF799")]
    [TestCase(5, "3FFE:B17217F7D1CF79AC")]
    [TestCase(6, "0000:0000000000000000")]
    public void ConstantsStoreTheHostBitPatterns(int constant, string expected)
    {
        var m = Run(a =>
        {
            switch (constant)
            {
                case 0: a.fld1(); break;
                case 1: a.fldpi(); break;
                case 2: a.fldl2e(); break;
                case 3: a.fldl2t(); break;
                case 4: a.fldlg2(); break;
                case 5: a.fldln2(); break;
                default: a.fldz(); break;
            }

            a.fstp(__tword_ptr[rsi]);
        }, 2);
        Assert.That(M80(m, Data), Is.EqualTo(expected));
        Assert.That(m.Cpu.FpuStatusWord, Is.Zero, "no exception, TOP back to 0");
    }

    [TestCase((ushort)0x077F, "4000:C90FDAA22168C234", "4000:D49A784BCD1B8AFE")] // round down
    [TestCase((ushort)0x0B7F, "4000:C90FDAA22168C235", "4000:D49A784BCD1B8AFF")] // round up
    public void ConstantsAreRoundedUnderTheRoundingControl(ushort controlWord, string pi, string log2Ten)
    {
        var m = Run(a =>
        {
            a.fldcw(__word_ptr[rsi + 0x100]);
            a.fldpi();
            a.fstp(__tword_ptr[rsi]);
            a.fldl2t();
            a.fstp(__tword_ptr[rsi + 16]);
        }, 5, m => PokeControlWord(m, controlWord));
        Assert.That((M80(m, Data), M80(m, Data + 16)), Is.EqualTo((pi, log2Ten)));
    }

    [TestCase((ushort)0x7FFF, 0xA000000000000000UL)] // signalling NaN: FLD m80 does not quiet it
    [TestCase((ushort)0x0000, 0x0000000000012345UL)] // denormal
    [TestCase((ushort)0x8000, 0x8000000000000000UL)] // pseudo-denormal
    [TestCase((ushort)0x4000, 0x4000000000000000UL)] // unnormal (unsupported)
    [TestCase((ushort)0xFFFF, 0xFFFFFFFFFFFFFFFFUL)] // quiet NaN with every payload bit
    public void M80LoadStoreRoundTripIsBitExact(ushort signExponent, ulong significand)
    {
        var m = Run(a =>
        {
            a.fld(__tword_ptr[rsi]);
            a.fstp(__tword_ptr[rsi + 16]);
        }, 2, m => m.Poke(Data, [.. BitConverter.GetBytes(significand), .. BitConverter.GetBytes(signExponent)]));
        Assert.That(M80(m, Data + 16), Is.EqualTo($"{signExponent:X4}:{significand:X16}"));
        Assert.That(m.Cpu.FpuStatusWord & 0x3F, Is.Zero);
    }

    [TestCase(long.MinValue)]
    [TestCase(long.MaxValue)]
    [TestCase(-1L)]
    [TestCase(0x123456789ABCDEF1L)]
    public void FildFistpRoundTripsEverySixtyFourBitInteger(long value)
    {
        var m = Run(a =>
        {
            a.fild(__qword_ptr[rsi]);
            a.fistp(__qword_ptr[rsi + 8]);
        }, 2, m => m.Poke(Data, BitConverter.GetBytes(value)));
        Assert.That(BitConverter.ToInt64(m.Peek(Data + 8, 8)), Is.EqualTo(value));
        Assert.That(m.Cpu.FpuStatusWord & 0x3F, Is.Zero, "exact: no precision exception");
    }

    [Test]
    public void FildOfInt64MaxIsExactInExtendedFormat()
    {
        var m = Run(a =>
        {
            a.fild(__qword_ptr[rsi]);
            a.fstp(__tword_ptr[rsi + 16]);
        }, 2, m => m.Poke(Data, BitConverter.GetBytes(long.MaxValue)));
        Assert.That(M80(m, Data + 16), Is.EqualTo("403D:FFFFFFFFFFFFFFFE"));
    }

    // IEEE roundings of ±2.5 and ±3.5 in each RC: nearest-even, down, up, toward zero.
    [TestCase((ushort)0x037F, 2.5, 2)]
    [TestCase((ushort)0x037F, 3.5, 4)]
    [TestCase((ushort)0x037F, -2.5, -2)]
    [TestCase((ushort)0x077F, 2.5, 2)]
    [TestCase((ushort)0x077F, -2.5, -3)]
    [TestCase((ushort)0x0B7F, 2.5, 3)]
    [TestCase((ushort)0x0B7F, -2.5, -2)]
    [TestCase((ushort)0x0F7F, 3.5, 3)]
    [TestCase((ushort)0x0F7F, -3.5, -3)]
    public void FistpRoundsUnderTheRoundingControl(ushort controlWord, double value, int expected)
    {
        var m = Run(a =>
        {
            a.fldcw(__word_ptr[rsi + 0x100]);
            a.fld(__qword_ptr[rsi]);
            a.fistp(__dword_ptr[rsi + 8]);
        }, 3, m =>
        {
            PokeControlWord(m, controlWord);
            PokeDouble(m, Data, value);
        });
        Assert.That(BitConverter.ToInt32(m.Peek(Data + 8, 4)), Is.EqualTo(expected));
        Assert.That(m.Cpu.FpuStatusWord & 0x20, Is.EqualTo(0x20), "inexact");
    }

    [TestCase(1e19, 8, 0x8000000000000000UL)]
    [TestCase(40000.0, 2, 0x8000UL)]
    [TestCase(-32769.0, 2, 0x8000UL)]
    [TestCase(double.NaN, 4, 0x80000000UL)]
    public void FistpOutOfRangeStoresTheIntegerIndefiniteAndRaisesInvalid(double value, int size, ulong expected)
    {
        var m = Run(a =>
        {
            a.fld(__qword_ptr[rsi]);
            switch (size)
            {
                case 2: a.fistp(__word_ptr[rsi + 8]); break;
                case 4: a.fistp(__dword_ptr[rsi + 8]); break;
                default: a.fistp(__qword_ptr[rsi + 8]); break;
            }
        }, 2, m => PokeDouble(m, Data, value));
        byte[] stored = m.Peek(Data + 8, 8);
        Assert.That(BitConverter.ToUInt64(stored) & Cpu.SizeMask(size), Is.EqualTo(expected));
        Assert.That(m.Cpu.FpuStatusWord & 1, Is.EqualTo(1));
    }

    [Test]
    public void FisttpIsUndefinedOnTheK8()
    {
        var m = new SnippetMachine();
        m.LoadCode(Code, a => a.fisttp(__dword_ptr[rsi]));
        Assert.That(m.Run(1), Is.EqualTo(StopReason.Fault));
        Assert.That(m.Cpu.LastFault!.Vector, Is.EqualTo(ExceptionVector.InvalidOpcode));
    }

    [TestCase((ushort)0x037F, 0.5, 0.0)]
    [TestCase((ushort)0x037F, 1.5, 2.0)]
    [TestCase((ushort)0x037F, -0.5, -0.0)]
    [TestCase((ushort)0x077F, 0.25, 0.0)]
    [TestCase((ushort)0x077F, -0.25, -1.0)]
    [TestCase((ushort)0x0B7F, 0.25, 1.0)]
    [TestCase((ushort)0x0F7F, -1.75, -1.0)]
    public void FrndintRoundsUnderTheRoundingControl(ushort controlWord, double value, double expected)
    {
        var m = Run(a =>
        {
            a.fldcw(__word_ptr[rsi + 0x100]);
            a.fld(__qword_ptr[rsi]);
            a.frndint();
            a.fstp(__qword_ptr[rsi + 8]);
        }, 4, m =>
        {
            PokeControlWord(m, controlWord);
            PokeDouble(m, Data, value);
        });
        Assert.That(BitConverter.ToUInt64(m.Peek(Data + 8, 8)), Is.EqualTo(BitConverter.DoubleToUInt64Bits(expected)));
    }

    [TestCase(1.0, 2.0, RFlags.CF)]
    [TestCase(2.0, 1.0, 0UL)]
    [TestCase(-0.0, 0.0, RFlags.ZF)]
    [TestCase(double.NaN, 1.0, RFlags.ZF | RFlags.PF | RFlags.CF)]
    public void FucomipSetsZfPfCf(double top, double other, ulong expected)
    {
        var m = Run(a =>
        {
            a.fld(__qword_ptr[rsi + 8]);
            a.fld(__qword_ptr[rsi]);
            a.fucomip(st0, st1);
        }, 3, m =>
        {
            PokeDouble(m, Data, top);
            PokeDouble(m, Data + 8, other);
            m.Cpu.Rflags |= RFlags.OF | RFlags.SF | RFlags.AF;
        });
        Assert.That(m.Cpu.Rflags & RFlags.Status, Is.EqualTo(expected));
        Assert.That(m.Cpu.FpuStatusWord & 1, Is.Zero, "a quiet NaN does not make FUCOMI invalid");
        Assert.That(m.Cpu.FpuTop, Is.EqualTo(7), "popped once");
    }

    [Test]
    public void FcomiOnAQuietNaNRaisesInvalid()
    {
        var m = Run(a =>
        {
            a.fld(__qword_ptr[rsi]);
            a.fld(__qword_ptr[rsi]);
            a.fcomi(st0, st1);
        }, 3, m => PokeDouble(m, Data, double.NaN));
        Assert.That(m.Cpu.Rflags & RFlags.Status, Is.EqualTo(RFlags.ZF | RFlags.PF | RFlags.CF));
        Assert.That(m.Cpu.FpuStatusWord & 1, Is.EqualTo(1));
    }

    [Test]
    public void FucomiOnASignallingNaNRaisesInvalid()
    {
        var m = Run(a =>
        {
            a.fld(__tword_ptr[rsi]);
            a.fld1();
            a.fucomi(st0, st1);
        }, 3, m => m.Poke(Data, [.. BitConverter.GetBytes(0xA000000000000000UL), 0xFF, 0x7F]));
        Assert.That(m.Cpu.Rflags & RFlags.Status, Is.EqualTo(RFlags.ZF | RFlags.PF | RFlags.CF));
        Assert.That(m.Cpu.FpuStatusWord & 1, Is.EqualTo(1));
    }

    [TestCase(1.0, 2.0, 0x0100)]
    [TestCase(3.0, 2.0, 0x0000)]
    [TestCase(2.0, 2.0, 0x4000)]
    [TestCase(double.NaN, 2.0, 0x4500)]
    public void FucomSetsC3C2C0AndFnstswAxReportsThem(double top, double other, int expected)
    {
        var m = Run(a =>
        {
            a.fld(__qword_ptr[rsi + 8]);
            a.fld(__qword_ptr[rsi]);
            a.fucompp();
            a.fnstsw(ax);
        }, 4, m =>
        {
            PokeDouble(m, Data, top);
            PokeDouble(m, Data + 8, other);
        });
        Assert.That(m.Cpu.GetRegister(Gpr.Rax) & 0xFFFF, Is.EqualTo((ulong)expected), "C3 C2 C0, TOP = 0 after two pops");
    }

    [TestCase((ushort)0x037F, "3FFD:AAAAAAAAAAAAAAAB")]
    [TestCase((ushort)0x027F, "3FFD:AAAAAAAAAAAAA800")]
    [TestCase((ushort)0x007F, "3FFD:AAAAAB0000000000")]
    public void DivisionRoundsToThePrecisionControl(ushort controlWord, string expected)
    {
        var m = Run(a =>
        {
            a.fldcw(__word_ptr[rsi + 0x100]);
            a.fld1();
            a.fidiv(__dword_ptr[rsi]);
            a.fstp(__tword_ptr[rsi + 16]);
        }, 4, m =>
        {
            PokeControlWord(m, controlWord);
            m.Poke(Data, BitConverter.GetBytes(3));
        });
        Assert.That(M80(m, Data + 16), Is.EqualTo(expected));
    }

    [Test]
    public void FsqrtOfTwoAndNarrowingStore()
    {
        var m = Run(a =>
        {
            a.fld1();
            a.fld1();
            a.faddp(st1, st0);
            a.fsqrt();
            a.fld(st0); // there is no FST m80, only FSTP
            a.fstp(__tword_ptr[rsi]);
            a.fstp(__qword_ptr[rsi + 16]);
        }, 7);
        Assert.That(M80(m, Data), Is.EqualTo("3FFF:B504F333F9DE6484"));
        Assert.That(BitConverter.ToDouble(m.Peek(Data + 16, 8)), Is.EqualTo(Math.Sqrt(2)));
    }

    [Test]
    public void RegisterFormsUseIntelOperandOrder()
    {
        // st1 = 10, st0 = 4: "fsub st1, st0" gives st1 = 6; then "fdivr st0, st1" gives st0 = 6 / 4.
        var m = Run(a =>
        {
            a.fld(__qword_ptr[rsi]);
            a.fld(__qword_ptr[rsi + 8]);
            a.fsub(st1, st0);
            a.fdivr(st0, st1);
            a.fstp(__qword_ptr[rsi + 16]);
            a.fstp(__qword_ptr[rsi + 24]);
        }, 6, m =>
        {
            PokeDouble(m, Data, 10);
            PokeDouble(m, Data + 8, 4);
        });
        Assert.That((BitConverter.ToDouble(m.Peek(Data + 16, 8)), BitConverter.ToDouble(m.Peek(Data + 24, 8))), Is.EqualTo((1.5, 6.0)));
    }

    [Test]
    public void FpremLoopsWhileC2ReportsAnIncompleteReduction()
    {
        // 2^100 mod 3 = 1: the exponents differ by 99, so the first FPREM only partly reduces (C2 = 1).
        var m = Run(a =>
        {
            a.fld(__dword_ptr[rsi + 4]);
            a.fld(__dword_ptr[rsi]);
            a.fprem();
            a.fnstsw(__word_ptr[rsi + 8]);
            a.fprem();
            a.fnstsw(__word_ptr[rsi + 10]);
            a.fstp(__qword_ptr[rsi + 16]);
        }, 7, m =>
        {
            m.Poke(Data, BitConverter.GetBytes(BitConverter.SingleToUInt32Bits(MathF.Pow(2, 100))));
            m.Poke(Data + 4, BitConverter.GetBytes(BitConverter.SingleToUInt32Bits(3f)));
        });
        Assert.That(BitConverter.ToUInt16(m.Peek(Data + 8, 2)) & 0x0400, Is.EqualTo(0x0400));
        Assert.That(BitConverter.ToUInt16(m.Peek(Data + 10, 2)) & 0x0400, Is.Zero);
        Assert.That(BitConverter.ToDouble(m.Peek(Data + 16, 8)), Is.EqualTo(1.0));
    }

    [Test]
    public void Fprem1GivesTheIeeeRemainderAndQuotientBits()
    {
        // 5 rem 3: quotient rounds to 2, remainder -1; C0 C3 C1 = quotient bits 2 1 0 = 0 1 0.
        var m = Run(a =>
        {
            a.fild(__dword_ptr[rsi + 4]);
            a.fild(__dword_ptr[rsi]);
            a.fprem1();
            a.fnstsw(ax);
            a.fstp(__qword_ptr[rsi + 16]);
        }, 5, m =>
        {
            m.Poke(Data, BitConverter.GetBytes(5));
            m.Poke(Data + 4, BitConverter.GetBytes(3));
        });
        Assert.That(BitConverter.ToDouble(m.Peek(Data + 16, 8)), Is.EqualTo(-1.0));
        Assert.That(m.Cpu.GetRegister(Gpr.Rax) & 0x4700, Is.EqualTo(0x4000UL));
    }

    [TestCase(0x3FFF, 0x8000000000000000UL, 0x0400)] // normal
    [TestCase(0x7FFF, 0x8000000000000000UL, 0x0500)] // infinity
    [TestCase(0x7FFF, 0xC000000000000000UL, 0x0100)] // NaN
    [TestCase(0x0000, 0x0000000000000000UL, 0x4000)] // zero
    [TestCase(0x0000, 0x0000000000000001UL, 0x4400)] // denormal
    [TestCase(0x4000, 0x4000000000000000UL, 0x0000)] // unsupported
    [TestCase(0xBFFF, 0x8000000000000000UL, 0x0600)] // negative normal: C1 = sign
    public void FxamClassifiesTheTopOfStack(int signExponent, ulong significand, int expected)
    {
        var m = Run(a =>
        {
            a.fld(__tword_ptr[rsi]);
            a.fxam();
        }, 2, m => m.Poke(Data, [.. BitConverter.GetBytes(significand), .. BitConverter.GetBytes((ushort)signExponent)]));
        Assert.That(m.Cpu.FpuStatusWord & 0x4700, Is.EqualTo(expected));
    }

    [Test]
    public void FxamOfAnEmptyRegisterSaysEmpty()
    {
        var m = Run(a => a.fxam(), 1);
        Assert.That(m.Cpu.FpuStatusWord & 0x4500, Is.EqualTo(0x4100));
    }

    [Test]
    public void NinthPushIsAStackOverflowWithTheHostStatusWord()
    {
        var m = Run(a =>
        {
            for (int i = 0; i < 9; i++)
            {
                a.fld1();
            }

            a.fnstsw(__word_ptr[rsi + 16]);
            a.fstp(__tword_ptr[rsi]);
        }, 11);
        Assert.That(M80(m, Data), Is.EqualTo("FFFF:C000000000000000"), "the masked response pushes the indefinite");
        Assert.That(BitConverter.ToUInt16(m.Peek(Data + 16, 2)), Is.EqualTo(0x3A41), "TOP = 7, C1 = 1, SF, IE, as recorded on the host");
    }

    [Test]
    public void ArithmeticOnEmptyRegistersIsAStackUnderflow()
    {
        var m = Run(a => a.fadd(st0, st1), 1);
        Assert.That(m.Cpu.FpuStatusWord, Is.EqualTo(0x0041), "IE, SF, C1 = 0, as recorded on the host");
    }

    [Test]
    public void FnstenvStoresTheEnvironmentMasksExceptionsAndFldenvRestoresIt()
    {
        var m = Run(a =>
        {
            a.fldcw(__word_ptr[rsi + 0x100]);
            a.fldz();
            a.fld1();
            a.fld1();
            a.fldz();
            a.fdivp(st1, st0);          // 1 / 0: ZE, ST(0) = +inf
            a.fnstenv(__dword_ptr[rsi]); // Iced names the m28 operand by its first doubleword
            a.fnstcw(__word_ptr[rsi + 0x40]);
            a.fldenv(__dword_ptr[rsi]);
            a.fnstcw(__word_ptr[rsi + 0x42]);
        }, 10, m => PokeControlWord(m, 0x0372));
        byte[] env = m.Peek(Data, 28);
        Assert.That(BitConverter.ToUInt16(env, 0), Is.EqualTo(0x0372));
        // TOP = 5 (four pushes, one pop); ZE, and ES because this control word leaves ZE unmasked.
        Assert.That(BitConverter.ToUInt16(env, 4) & 0x38FF, Is.EqualTo((5 << 11) | 0x80 | 0x04));
        // Tags by physical register 7..0: zero (01), valid 1.0 (00), +inf from the division (10), empty (11) x5.
        Assert.That(BitConverter.ToUInt16(env, 8), Is.EqualTo(0b01_00_10_11_11_11_11_11));
        Assert.That(BitConverter.ToUInt16(m.Peek(Data + 0x40, 2)), Is.EqualTo(0x037F), "FNSTENV masks all exceptions");
        Assert.That(BitConverter.ToUInt16(m.Peek(Data + 0x42, 2)), Is.EqualTo(0x0372), "FLDENV restores the control word");
    }

    [Test]
    public void FcmovbMovesOnlyWhenCarryIsSet()
    {
        var m = Run(a =>
        {
            a.fld1();
            a.fldz();
            a.fcmovb(st0, st1);
            a.fstp(__qword_ptr[rsi]);
        }, 4, m => m.Cpu.Rflags |= RFlags.CF);
        Assert.That(BitConverter.ToDouble(m.Peek(Data, 8)), Is.EqualTo(1.0));
    }

    [Test]
    public void LoadingASignallingNaNDoubleRaisesInvalidAndQuietsIt()
    {
        var m = Run(a =>
        {
            a.fld(__qword_ptr[rsi]);
            a.fstp(__qword_ptr[rsi + 8]);
        }, 2, m => m.Poke(Data, BitConverter.GetBytes(0x7FF0_0000_0000_0001UL)));
        Assert.That(BitConverter.ToUInt64(m.Peek(Data + 8, 8)), Is.EqualTo(0x7FF8_0000_0000_0001UL));
        Assert.That(m.Cpu.FpuStatusWord & 1, Is.EqualTo(1));
    }

    [Test]
    public void FscaleMultipliesByAPowerOfTwo()
    {
        var m = Run(a =>
        {
            a.fild(__dword_ptr[rsi + 8]);
            a.fld(__qword_ptr[rsi]);
            a.fscale();
            a.fstp(__qword_ptr[rsi + 16]);
        }, 4, m =>
        {
            PokeDouble(m, Data, 1.5);
            m.Poke(Data + 8, BitConverter.GetBytes(-3));
        });
        Assert.That(BitConverter.ToDouble(m.Peek(Data + 16, 8)), Is.EqualTo(1.5 / 8));
    }

    [Test]
    public void AStoreThatFaultsLeavesTheStackUnchanged()
    {
        var m = new SnippetMachine();
        m.LoadCode(Code, a =>
        {
            a.fld1();
            a.fstp(__tword_ptr[rsi]);
        });
        m.Map(Data, 0x1000, PageFlags.User | PageFlags.Writable);
        m.Cpu.SetRegister(Gpr.Rsi, Data + 0x1000 - 4); // the m80 straddles into an unmapped page
        Assert.That(m.Run(2), Is.EqualTo(StopReason.Fault));
        Assert.That(m.Cpu.Rip, Is.EqualTo(Code + 2));
        Assert.That(m.Cpu.FpuTop, Is.EqualTo(7), "not popped");
        Assert.That(m.Peek(Data + 0x1000 - 4, 4), Is.EqualTo(new byte[4]), "nothing written");
    }
}
