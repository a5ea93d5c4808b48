using System.Runtime.Intrinsics;
using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Interrupts;

namespace KmlSim.Execution;

/// <summary>
/// Saving and restoring the whole floating-point state: FXSAVE/FXRSTOR (the 512-byte x87 + SSE image,
/// AMD64 APM vol. 2 §11.4.4 and vol. 5) and FNSAVE/FRSTOR (the 108-byte 32-bit-format x87 image).
/// </summary>
public sealed unsafe partial class Cpu
{
    /// <summary>The bytes FXSAVE writes: 416 of the 512-byte area (the host leaves bytes 416-511 untouched).</summary>
    private const int FxsaveWrittenBytes = 416;

    private const int FxsaveAreaBytes = 512;
    private const int FxsaveMxcsrOffset = 24;
    private const int FxsaveRegistersOffset = 32;
    private const int FxsaveXmmOffset = 160;

    /// <summary>The FNSAVE image: the 28-byte environment and ST(0)-ST(7) as 10-byte values.</summary>
    private const int X87SaveBytes = X87EnvironmentBytes + (8 * 10);

    private static void RegisterX87State(HandlerTable table)
    {
        table.Add(Code.Fxsave_m512byte, &Fxsave);
        table.Add(Code.Fxsave64_m512byte, &Fxsave);
        table.Add(Code.Fxrstor_m512byte, &Fxrstor);
        table.Add(Code.Fxrstor64_m512byte, &Fxrstor);
        table.Add(Code.Fnsave_m108byte, &Fnsave);
        table.Add(Code.Fsave_m108byte, &Fnsave);
        table.Add(Code.Frstor_m108byte, &Frstor);
        table.Add(Code.Fnsave_m94byte, &Fnsave);
        table.Add(Code.Fsave_m94byte, &Fnsave);
        table.Add(Code.Frstor_m94byte, &Frstor);
    }

    /// <summary>#GP(0) unless the 512-byte area is 16-byte aligned.</summary>
    private static void CheckFxsaveAlignment(ulong address)
    {
        if ((address & 15) != 0)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }
    }

    /// <summary>
    /// FXSAVE and FXSAVE64: FCW, FSW, the abridged tag byte (bit p = physical register p not empty), FOP, the
    /// last instruction and operand pointers, MXCSR, MXCSR_MASK, ST(0)-ST(7) in 16-byte slots, XMM0-15.
    /// The two forms differ only in the pointer format (64-bit offsets, or 32-bit offsets with selectors);
    /// the pointers and FOP are not tracked and stored as 0, which is also what AMD processors store while
    /// no unmasked exception is pending (the host does the same), so both forms write the same image.
    /// MXCSR_MASK is K8's <see cref="MxcsrWritableMask"/> (bits 15:0; the host, a later AMD, adds bit 17).
    /// </summary>
    private static void Fxsave(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.EffectiveAddress(ref d);
        CheckFxsaveAlignment(address);
        Span<byte> image = stackalloc byte[FxsaveWrittenBytes];
        cpu.SaveFloatingPointState(image);
        cpu.WriteBytesAtomically(address, image, FxsaveAreaBytes);
    }

    /// <summary>The x87, MXCSR and XMM state as FXSAVE lays it out (a context switch saves it like this).</summary>
    internal void SaveFloatingPointState(Span<byte> image)
    {
        Cpu cpu = this;
        image.Clear();
        BitConverter.TryWriteBytes(image, cpu.Fcw);
        BitConverter.TryWriteBytes(image[2..], cpu.FpuStatusWord);
        image[4] = (byte)~cpu.FpuEmpty;
        BitConverter.TryWriteBytes(image[FxsaveMxcsrOffset..], cpu.Mxcsr);
        BitConverter.TryWriteBytes(image[(FxsaveMxcsrOffset + 4)..], MxcsrWritableMask);
        for (int i = 0; i < 8; i++)
        {
            WriteExtended(image[(FxsaveRegistersOffset + (16 * i))..], cpu.Fpr[cpu.PhysicalRegister(i)]);
        }

        for (int i = 0; i < 16; i++)
        {
            cpu.Xmm[i].CopyTo(image[(FxsaveXmmOffset + (16 * i))..]);
        }
    }

    /// <summary>
    /// The floating-point state of a new program (Linux's fpu__clear at execve): the FNINIT x87 state
    /// (control word 0x37F, empty stack), every x87 and XMM register zero, MXCSR 0x1F80 (all SSE
    /// exceptions masked, round to nearest).
    /// </summary>
    internal void ResetFloatingPointState()
    {
        ResetX87();
        Array.Clear(Fpr);
        Array.Clear(Xmm);
        Mxcsr = DefaultMxcsr;
    }

    /// <summary>MXCSR at reset and for a new process: 0x1F80 (AMD APM vol. 1, the MXCSR description; Linux MXCSR_DEFAULT).</summary>
    internal const uint DefaultMxcsr = 0x1F80;

    /// <summary>Bytes of the image <see cref="SaveFloatingPointState"/> writes.</summary>
    internal const int FloatingPointStateBytes = FxsaveWrittenBytes;

    /// <summary>
    /// FXRSTOR and FXRSTOR64: loads the image FXSAVE writes (the pointers and FOP are ignored). An MXCSR with
    /// bits outside MXCSR_MASK raises #GP(0); the whole image is read and checked before any state changes.
    /// </summary>
    private static void Fxrstor(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.EffectiveAddress(ref d);
        CheckFxsaveAlignment(address);
        Span<byte> image = stackalloc byte[FxsaveAreaBytes]; // the operand is the whole area, reserved bytes included
        cpu.Mmu.ReadBytes(address, image);
        uint mxcsr = BitConverter.ToUInt32(image[FxsaveMxcsrOffset..]);
        if ((mxcsr & ~MxcsrWritableMask) != 0)
        {
            throw new GuestFaultException(ExceptionVector.GeneralProtection, 0);
        }

        cpu.LoadFloatingPointState(image, mxcsr);
    }

    /// <summary>Loads an image <see cref="SaveFloatingPointState"/> wrote (MXCSR already checked).</summary>
    internal void LoadFloatingPointState(ReadOnlySpan<byte> image, uint mxcsr)
    {
        Cpu cpu = this;
        ushort status = BitConverter.ToUInt16(image[2..]);
        cpu.Fcw = (ushort)((BitConverter.ToUInt16(image) & 0x1F3F) | 0x40);
        cpu.Fsw = (ushort)(status & ~(7 << StatusTopShift));
        cpu.FpuTop = (status >> StatusTopShift) & 7;
        cpu.X87ExceptionsChanged();
        cpu.FpuEmpty = (byte)~image[4];
        for (int i = 0; i < 8; i++)
        {
            cpu.Fpr[cpu.PhysicalRegister(i)] = ReadExtended(image[(FxsaveRegistersOffset + (16 * i))..]);
        }

        cpu.Mxcsr = mxcsr;
        for (int i = 0; i < 16; i++)
        {
            cpu.Xmm[i] = Vector128.Create<byte>(image.Slice(FxsaveXmmOffset + (16 * i), 16));
        }
    }

    /// <summary>
    /// FNSAVE/FSAVE m108 (or m94 with an operand-size prefix: the 16-bit environment): the environment, then
    /// ST(0)-ST(7); afterwards the FPU is initialised as by FNINIT.
    /// </summary>
    private static void Fnsave(Cpu cpu, ref DecodedInstruction d)
    {
        ulong address = cpu.EffectiveAddress(ref d);
        int environmentBytes = d.MemSize - (X87SaveBytes - X87EnvironmentBytes);
        Span<byte> image = stackalloc byte[d.MemSize];
        cpu.StoreX87Environment(image[..environmentBytes]);
        for (int i = 0; i < 8; i++)
        {
            WriteExtended(image[(environmentBytes + (10 * i))..], cpu.Fpr[cpu.PhysicalRegister(i)]);
        }

        cpu.WriteBytesAtomically(address, image, d.MemSize);
        cpu.ResetX87();
    }

    /// <summary>FRSTOR m108 or m94: loads the environment, then ST(0)-ST(7) relative to the loaded TOP.</summary>
    private static void Frstor(Cpu cpu, ref DecodedInstruction d)
    {
        int environmentBytes = d.MemSize - (X87SaveBytes - X87EnvironmentBytes);
        Span<byte> image = stackalloc byte[d.MemSize];
        cpu.Mmu.ReadBytes(cpu.EffectiveAddress(ref d), image);
        cpu.LoadX87Environment(image[..environmentBytes]);
        for (int i = 0; i < 8; i++)
        {
            cpu.Fpr[cpu.PhysicalRegister(i)] = ReadExtended(image[(environmentBytes + (10 * i))..]);
        }
    }

    private static void WriteExtended(Span<byte> destination, Float80 value)
    {
        BitConverter.TryWriteBytes(destination, value.Significand);
        BitConverter.TryWriteBytes(destination[8..], value.SignExponent);
    }

    private static Float80 ReadExtended(ReadOnlySpan<byte> source) =>
        new(BitConverter.ToUInt16(source[8..]), BitConverter.ToUInt64(source));
}
