using KmlSim.Execution;
using KmlSim.Isa;

namespace KmlSim.Interrupts;

/// <summary>
/// The system tables a 64-bit kernel builds at boot: a GDT with Linux 2.6's selectors (so STAR works for
/// SYSCALL and SYSRET), a 64-bit TSS (RSP0, IST1-7) and a 256-entry IDT, laid out in one 8 KiB block:
/// GDT at +0, TSS at +0x80, IDT at +0x1000. The image is written into guest memory by the caller (a test
/// machine, or the simulated kernel's boot code), then <see cref="Load"/> points the CPU at it.
/// </summary>
public sealed class SystemTables
{
    /// <summary>64-bit kernel code (__KERNEL_CS).</summary>
    public const ushort KernelCode = 0x10;
    /// <summary>Kernel data (__KERNEL_DS); SYSCALL loads it into SS.</summary>
    public const ushort KernelData = 0x18;
    /// <summary>32-bit user code (__USER32_CS); STAR[63:48] holds it.</summary>
    public const ushort UserCode32 = 0x23;
    /// <summary>User data (__USER_DS): SYSRET's SS = STAR[63:48] + 8.</summary>
    public const ushort UserData = 0x2B;
    /// <summary>64-bit user code (__USER_CS): SYSRET's CS = STAR[63:48] + 16.</summary>
    public const ushort UserCode = 0x33;
    /// <summary>The TSS descriptor (GDT entry 8, 16 bytes).</summary>
    public const ushort Tss = 0x40;

    /// <summary>Bytes the tables occupy from the base address.</summary>
    public const int Size = 0x2000;

    /// <summary>STAR as Linux sets it: user base selector in 63:48, kernel code selector in 47:32.</summary>
    public const ulong Star = ((ulong)UserCode32 << 48) | ((ulong)KernelCode << 32);

    /// <summary>SFMASK as Linux sets it: TF, IF, DF and IOPL are cleared by SYSCALL.</summary>
    public const ulong SyscallFlagMask = RFlags.TF | RFlags.IF | RFlags.DF | RFlags.IOPL;

    private const int GdtEntries = 16;
    private const int TssOffset = 0x80;
    private const int IdtOffset = 0x1000;

    private readonly IdtGate[] gates = new IdtGate[256];
    private readonly ulong[] interruptStacks = new ulong[8];

    /// <summary>Tables at <paramref name="baseAddress"/> (page-aligned, <see cref="Size"/> bytes, supervisor and writable).</summary>
    public SystemTables(ulong baseAddress)
    {
        BaseAddress = baseAddress;
    }

    /// <summary>Linear address of the block.</summary>
    public ulong BaseAddress { get; }

    /// <summary>Linear address of the GDT.</summary>
    public ulong GdtBase => BaseAddress;

    /// <summary>Linear address of the TSS.</summary>
    public ulong TssBase => BaseAddress + TssOffset;

    /// <summary>Linear address of the IDT.</summary>
    public ulong IdtBase => BaseAddress + IdtOffset;

    /// <summary>TSS.RSP0: the stack a privilege change to CPL 0 switches to.</summary>
    public ulong Rsp0 { get; set; }

    /// <summary>Installs a gate whose handler runs in the kernel code segment.</summary>
    /// <param name="vector">Interrupt vector.</param>
    /// <param name="handler">Handler address.</param>
    /// <param name="dpl">Highest CPL allowed to use the gate with INT n.</param>
    /// <param name="ist">IST index 1-7, or 0 for the legacy stack switch.</param>
    /// <param name="trap">A trap gate (IF kept) instead of an interrupt gate (IF cleared).</param>
    public void SetGate(byte vector, ulong handler, int dpl = 0, int ist = 0, bool trap = false) =>
        gates[vector] = IdtGate.Create(handler, KernelCode, dpl, ist, trap);

    /// <summary>Reads back a gate.</summary>
    public IdtGate Gate(byte vector) => gates[vector];

    /// <summary>Sets IST entry <paramref name="index"/> (1-7) to a stack top.</summary>
    public void SetInterruptStack(int index, ulong top)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, 7);
        interruptStacks[index] = top;
    }

    /// <summary>The bytes of the whole block, ready to be copied to <see cref="BaseAddress"/>.</summary>
    public byte[] Image()
    {
        var image = new byte[Size];
        Span<ulong> gdt = stackalloc ulong[GdtEntries];
        gdt[KernelCode >> 3] = SegmentDescriptor.Code64(0);
        gdt[KernelData >> 3] = SegmentDescriptor.Data(0);
        gdt[UserCode32 >> 3] = SegmentDescriptor.Code32(3);
        gdt[UserData >> 3] = SegmentDescriptor.Data(3);
        gdt[UserCode >> 3] = SegmentDescriptor.Code64(3);
        (gdt[Tss >> 3], gdt[(Tss >> 3) + 1]) = SegmentDescriptor.Tss64(TssBase, TaskStateSegment.Size - 1);
        for (int i = 0; i < GdtEntries; i++)
        {
            BitConverter.TryWriteBytes(image.AsSpan(i * 8), gdt[i]);
        }

        BitConverter.TryWriteBytes(image.AsSpan(TssOffset + TaskStateSegment.Rsp0Offset), Rsp0);
        for (int i = 1; i <= 7; i++)
        {
            BitConverter.TryWriteBytes(image.AsSpan(TssOffset + TaskStateSegment.IstOffset(i)), interruptStacks[i]);
        }

        // No I/O-permission bitmap: its base points past the TSS limit.
        BitConverter.TryWriteBytes(image.AsSpan(TssOffset + TaskStateSegment.IoMapBaseOffset), (ushort)TaskStateSegment.Size);
        for (int v = 0; v < gates.Length; v++)
        {
            BitConverter.TryWriteBytes(image.AsSpan(IdtOffset + (v * 16)), gates[v].Low);
            BitConverter.TryWriteBytes(image.AsSpan(IdtOffset + (v * 16) + 8), gates[v].High);
        }

        return image;
    }

    /// <summary>
    /// Points the CPU at the tables already written to guest memory (GDTR, IDTR, TR), sets STAR and SFMASK
    /// as Linux does and enables SYSCALL (EFER.SCE); CS and SS get the selectors of the CPU's current CPL.
    /// </summary>
    public void Load(Cpu cpu)
    {
        cpu.Gdtr = new DescriptorTableRegister(GdtBase, (GdtEntries * 8) - 1);
        cpu.Idtr = new DescriptorTableRegister(IdtBase, (256 * 16) - 1);
        cpu.LoadTaskRegister(Tss);
        cpu.Star = Star;
        cpu.Sfmask = SyscallFlagMask;
        cpu.Efer |= Msr.EferSce;
        bool user = cpu.Cpl == 3;
        cpu.Selectors[1] = user ? UserCode : KernelCode;
        cpu.Selectors[2] = user ? UserData : KernelData;
    }
}
