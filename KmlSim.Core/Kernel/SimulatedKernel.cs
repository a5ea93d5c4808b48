using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Kernel.Boot;
using KmlSim.Kernel.Elf;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Syscalls;
using KmlSim.KernelModes;
using KmlSim.Memory;

namespace KmlSim.Kernel;

/// <summary>
/// The simulated Linux kernel behind the real entry path: it boots (kernel page tables in the upper half,
/// GDT/TSS/IDT, MSRs, the per-CPU area, the timer), places the entry code that <see cref="EntryCode"/>
/// assembles, starts a process in the ring its kernel mode chooses, and runs the C# work behind the
/// entry code's host calls: the system call bodies, the interrupt and exception handlers, and the exit
/// work (signal delivery). Everything between the user's SYSCALL (or KML call) and its return is real
/// x86-64 code executed by the simulated CPU.
/// </summary>
internal sealed class SimulatedKernel : IHostCallHandler
{
    /// <summary>
    /// Instructions per timer tick in functional mode: HZ = 1000 on a 2.4 GHz Opteron is 2.4 million
    /// cycles per tick, counted as 2.4 million instructions (one instruction per cycle).
    /// </summary>
    public const long InstructionsPerTick = 2_400_000;

    private const int TaskSlot = 0;
    private readonly SnippetMachine hardware;
    private readonly IKernelModePolicy mode;
    private readonly IKernelWorkMeter meter;
    private readonly AddressSpace kernelSpace;
    private readonly EntryCode entry;
    private GuestProcess? current;
    private int hostSignal;

    /// <summary>Boots the kernel on <paramref name="hardware"/>.</summary>
    public SimulatedKernel(SnippetMachine hardware, IKernelModePolicy mode, IKernelWorkMeter meter)
    {
        this.hardware = hardware;
        this.mode = mode;
        this.meter = meter;
        kernelSpace = new AddressSpace(hardware.Memory);
        entry = EntryCode.Assemble(mode);
        Boot();
    }

    /// <summary>Timer interrupts taken.</summary>
    public long Ticks { get; private set; }

    /// <summary>The address KML processes call instead of executing SYSCALL (0 when the mode has none).</summary>
    public ulong DirectEntry => entry.DirectEntry;

    /// <summary>The addresses of the kernel text, for telling kernel from user instructions.</summary>
    public static bool IsKernelAddress(ulong rip) => rip >= KernelLayout.KernelHalf;

    /// <summary>
    /// Loads an executable as the process that runs, in the ring the kernel mode chooses for
    /// <paramref name="guestPath"/> (the path the kernel sees; /trusted/ decides KML's ring 0).
    /// </summary>
    /// <exception cref="ElfFormatException">The image is not a static 64-bit executable, or a 32-bit one under /trusted (ENOEXEC).</exception>
    public GuestProcess Exec(byte[] image, string hostPath, string guestPath, IReadOnlyList<string> argv, IReadOnlyList<string> environment, byte[] stdin, int seed)
    {
        bool ringZero = mode.RunsInRingZero(guestPath);
        if (ringZero && image.Length > 4 && image[4] == 1)
        {
            throw new ElfFormatException($"ENOEXEC: {guestPath} is a 32-bit executable, and a kernel-mode user process under /trusted must be 64-bit (KML for AMD64 cannot let 32-bit code call the 64-bit kernel directly)");
        }

        GuestProcess process = ProcessLoader.Load(hardware, image, hostPath, argv, environment, stdin, seed, ringZero ? entry.DirectEntry : 0);
        process.BehindKernelEntry = true;
        process.KernelModeUser = ringZero;
        Cpu cpu = hardware.Cpu;
        hardware.AddressSpace.ShareKernelHalf(kernelSpace);
        cpu.Mmu.Cr3 = hardware.AddressSpace.Cr3; // (a CR3 write flushes the TLB)
        WriteThreadFlags(ringZero ? 1u << KernelLayout.TifKernelModeUser : 0);
        if (ringZero)
        {
            // KML: the kernel code and data selectors, and GS already holding the per-CPU area.
            cpu.Cpl = 0;
            cpu.Selectors[1] = SystemTables.KernelCode;
            cpu.Selectors[2] = SystemTables.KernelData;
            cpu.GsBase = KernelLayout.PerCpu;
            cpu.SyscallCallTarget = entry.DirectEntry;
            cpu.GsWritesRefused = true;
        }
        else
        {
            cpu.Cpl = 3;
            cpu.Selectors[1] = SystemTables.UserCode;
            cpu.Selectors[2] = SystemTables.UserData;
            cpu.GsBase = 0;
        }

        cpu.KernelGsBase = KernelLayout.PerCpu;
        current = process;
        return process;
    }

    /// <summary>Runs until the process ends or <paramref name="maxInstructions"/> more instructions (user and kernel) retire.</summary>
    public ProcessStop Run(long maxInstructions)
    {
        GuestProcess process = current ?? throw new InvalidOperationException("no process was started");
        Cpu cpu = hardware.Cpu;
        long target = maxInstructions >= long.MaxValue - cpu.InstructionsRetired ? long.MaxValue : cpu.InstructionsRetired + maxInstructions;
        while (process.Ending is null)
        {
            long remaining = target - cpu.InstructionsRetired;
            if (remaining <= 0)
            {
                return new ProcessStop(RunOutcome.Limit, Message: $"instruction limit reached at 0x{cpu.Rip:x}");
            }

            switch (cpu.Run(remaining))
            {
                case StopReason.TripleFault:
                    return new ProcessStop(RunOutcome.TripleFault, Message: $"triple fault: the machine reset ({cpu.LastTripleFault})");
                case StopReason.StopRequested when process.Ending is null:
                    return new ProcessStop(RunOutcome.Limit, Message: "stopped at the host's request");
                case StopReason.Halted:
                    return new ProcessStop(RunOutcome.Error, Message: $"the CPU halted with nothing to wake it at 0x{cpu.Rip:x}");
                case StopReason.Fault or StopReason.Syscall:
                    return new ProcessStop(RunOutcome.Error, Message: $"unexpected stop with the kernel running at 0x{cpu.Rip:x}: {cpu.LastFault?.Message}");
            }
        }

        return process.Ending.Value;
    }

    /// <summary>
    /// Makes the host send <paramref name="signal"/> to the running process once the CPU has retired
    /// <paramref name="atInstruction"/> instructions, as a Ctrl-C would: an external interrupt whose
    /// handler marks the signal pending; the exit path then delivers it.
    /// </summary>
    public void SendSignalAt(int signal, long atInstruction)
    {
        hostSignal = signal;
        hardware.Cpu.InjectInterrupt(KernelLayout.HostSignalVector, atInstruction);
    }

    /// <summary>Marks a signal pending for the running process (delivered on its next return to user code).</summary>
    public void SendSignal(int signal)
    {
        GuestProcess p = current ?? throw new InvalidOperationException("no process runs");
        p.PendingSignals |= 1UL << (signal - 1);
        WriteThreadFlags(ReadThreadFlags() | (1u << KernelLayout.TifSigPending));
    }

    /// <inheritdoc/>
    public bool Owns(ulong address) => address == entry.SyscallHost || address == entry.InterruptHost || address == entry.WorkHost;

    /// <inheritdoc/>
    public void Invoke(Cpu cpu, ulong address)
    {
        GuestProcess p = current ?? throw new InvalidOperationException("a host call without a process");
        if (address == entry.SyscallHost)
        {
            long copiedBefore = p.User.BytesCopied;
            int number = (int)cpu.GetRegister(Gpr.Rax);
            SyscallDispatcher.Dispatch(p);
            meter.Charge(number, p.User.BytesCopied - copiedBefore);
        }
        else if (address == entry.InterruptHost)
        {
            Interrupt(cpu, p, cpu.GetRegister(Gpr.Rdi), (byte)cpu.GetRegister(Gpr.Rsi));
        }
        else
        {
            ExitWork(p);
        }

        if (p.Ending is not null)
        {
            cpu.RequestStop();
        }
    }

    private void Boot()
    {
        Cpu cpu = hardware.Cpu;
        MapKernel(KernelLayout.Text, KernelLayout.TextSize, PageFlags.Global);
        kernelSpace.Write(KernelLayout.Text, entry.Bytes);

        MapKernel(KernelLayout.SyscallTable, KernelLayout.SyscallTableEntries * 8, PageFlags.Global | PageFlags.NoExecute);
        var table = new byte[KernelLayout.SyscallTableEntries * 8];
        for (int n = 0; n < KernelLayout.SyscallTableEntries; n++)
        {
            BitConverter.TryWriteBytes(table.AsSpan(n * 8), entry.SyscallHost);
        }

        kernelSpace.Write(KernelLayout.SyscallTable, table);

        var tables = new SystemTables(KernelLayout.Tables) { Rsp0 = KernelLayout.KernelStackTop(TaskSlot) };
        foreach (byte vector in EntryCode.Vectors())
        {
            // INT3 and INTO may be used by user code (DPL 3), as in Linux's set_system_gate.
            int dpl = vector is (byte)ExceptionVector.Breakpoint or (byte)ExceptionVector.Overflow ? 3 : 0;
            tables.SetGate(vector, entry.VectorStubs[vector], dpl, mode.InterruptStackFor(vector));
        }

        for (int ist = 1; ist <= 7; ist++)
        {
            ulong top = KernelLayout.InterruptStackTop(ist);
            MapKernel(top - 0x1000, 0x1000, PageFlags.Writable | PageFlags.NoExecute);
            tables.SetInterruptStack(ist, top);
        }

        MapKernel(KernelLayout.Tables, SystemTables.Size, PageFlags.Writable | PageFlags.NoExecute);
        kernelSpace.Write(KernelLayout.Tables, tables.Image());

        ulong stackTop = KernelLayout.KernelStackTop(TaskSlot);
        MapKernel(stackTop - KernelLayout.ThreadSize, KernelLayout.ThreadSize, PageFlags.Writable | PageFlags.NoExecute);
        MapKernel(KernelLayout.PerCpu, 0x1000, PageFlags.Writable | PageFlags.NoExecute);
        Span<byte> pda = stackalloc byte[24];
        BitConverter.TryWriteBytes(pda[KernelLayout.PdaCurrent..], (ulong)ProcessIdentity.ProcessId);
        BitConverter.TryWriteBytes(pda[KernelLayout.PdaKernelStack..], stackTop);
        kernelSpace.Write(KernelLayout.PerCpu, pda);

        hardware.AddressSpace.ShareKernelHalf(kernelSpace);
        cpu.Mmu.Cr3 = hardware.AddressSpace.Cr3;
        cpu.Mmu.FlushAll();
        tables.Load(cpu);
        cpu.Lstar = entry.SystemCall;
        cpu.HostCalls = this;
        cpu.SyscallExits = false;
        cpu.Timer.Start(KernelLayout.TimerVector, InstructionsPerTick);
    }

    private void MapKernel(ulong address, int length, PageFlags flags)
    {
        for (ulong page = address; page < address + (ulong)length; page += 0x1000)
        {
            kernelSpace.MapNew(page, flags);
        }
    }

    private ulong ThreadInfo => KernelLayout.KernelStackTop(TaskSlot) - KernelLayout.ThreadSize;

    private uint ReadThreadFlags()
    {
        Span<byte> bytes = stackalloc byte[4];
        kernelSpace.Read(ThreadInfo + KernelLayout.ThreadInfoFlags, bytes);
        return BitConverter.ToUInt32(bytes);
    }

    private void WriteThreadFlags(uint flags)
    {
        Span<byte> bytes = stackalloc byte[4];
        BitConverter.TryWriteBytes(bytes, flags);
        kernelSpace.Write(ThreadInfo + KernelLayout.ThreadInfoFlags, bytes);
    }

    /// <summary>The C# side of an interrupt or exception: <paramref name="frame"/> is the pt_regs the entry code built.</summary>
    private void Interrupt(Cpu cpu, GuestProcess p, ulong frame, byte vector)
    {
        switch (vector)
        {
            case KernelLayout.TimerVector:
                Ticks++;
                return;
            case KernelLayout.HostSignalVector:
                SendSignal(hostSignal); // like a console interrupt turned into SIGINT; the exit work delivers it
                return;
        }

        ulong rip = ReadFrame(frame, KernelLayout.Rip);
        if (IsKernelAddress(rip))
        {
            p.Fail($"kernel oops: {ExceptionNames.Mnemonic(vector)} in kernel code at 0x{rip:x}: {cpu.Disassemble(rip)}");
            return;
        }

        uint? errorCode = EntryCode.PushesErrorCode(vector) ? (uint)ReadFrame(frame, KernelLayout.OrigRax) : null;
        var fault = new GuestFaultException((ExceptionVector)vector, errorCode, vector == (byte)ExceptionVector.PageFault ? cpu.Cr2 : 0);
        p.Kill(FatalSignal.For(fault.Vector), FatalSignal.Describe(cpu, fault, rip));
    }

    /// <summary>The exit work before returning to a process: pending signals (default actions) and rescheduling.</summary>
    private void ExitWork(GuestProcess p)
    {
        uint flags = ReadThreadFlags();
        WriteThreadFlags(flags & ~(uint)KernelLayout.WorkMask);
        while (p.PendingSignals != 0 && p.Ending is null)
        {
            int signal = System.Numerics.BitOperations.TrailingZeroCount(p.PendingSignals) + 1;
            p.PendingSignals &= ~(1UL << (signal - 1));
            if (!FatalSignal.IsIgnoredByDefault(signal))
            {
                p.Kill(signal, $"{FatalSignal.Name(signal)} sent by the host");
            }
        }
    }

    private ulong ReadFrame(ulong frame, int offset)
    {
        Span<byte> bytes = stackalloc byte[8];
        kernelSpace.Read(frame + (ulong)offset, bytes);
        return BitConverter.ToUInt64(bytes);
    }
}
