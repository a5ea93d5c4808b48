using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Kernel.Boot;
using KmlSim.Kernel.Elf;
using KmlSim.Kernel.Files;
using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;
using KmlSim.KernelModes;
using KmlSim.Memory;
using KmlSim.Observation;

namespace KmlSim.Kernel;

/// <summary>
/// The simulated Linux kernel behind the real entry path: it boots (kernel page tables in the upper half,
/// GDT/TSS/IDT, MSRs, the per-CPU area, the timer), places the entry code that <see cref="EntryCode"/>
/// assembles, starts a process in the ring its kernel mode chooses, and runs the C# work behind the
/// entry code's host calls: the system call bodies, the interrupt and exception handlers, and the exit
/// work (signal delivery, scheduling). Processes, the scheduler and the process system calls are in the
/// partial files beside this one. Everything between the user's SYSCALL (or KML call) and its return is real
/// x86-64 code executed by the simulated CPU.
/// </summary>
internal sealed partial class SimulatedKernel : IHostCallHandler
{
    /// <summary>
    /// Instructions per timer tick in functional mode: HZ = 1000 on a 2.4 GHz Opteron is 2.4 million
    /// cycles per tick, counted as 2.4 million instructions (one instruction per cycle).
    /// </summary>
    public const long InstructionsPerTick = 2_400_000;

    private readonly SnippetMachine hardware;
    private readonly IKernelModePolicy mode;
    private readonly IKernelWorkMeter meter;
    private readonly ICpuTimeSource cpuTime;
    private readonly AddressSpace kernelSpace;
    private readonly EntryCode entry;
    private KernelTask? current;
    private int hostSignal;
    private ulong tssBase;

    /// <summary>
    /// Boots the kernel on <paramref name="hardware"/>; processes' CPU time comes from <paramref name="cpuTime"/>
    /// (the timing model), or without one from retired instructions (<see cref="InstructionCpuTime"/>).
    /// </summary>
    public SimulatedKernel(SnippetMachine hardware, IKernelModePolicy mode, IKernelWorkMeter meter, ICpuTimeSource? cpuTime = null)
    {
        this.hardware = hardware;
        this.mode = mode;
        this.meter = meter;
        this.cpuTime = cpuTime ?? new InstructionCpuTime(hardware.Cpu);
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
    public GuestProcess Exec(VirtualFileSystem fileSystem, byte[] image, string path, string executablePath, string guestPath, IReadOnlyList<string> argv, IReadOnlyList<string> environment, byte[] stdin, int seed)
    {
        bool ringZero = mode.RunsInRingZero(guestPath);
        if (ringZero && image.Length > 4 && image[4] == 1)
        {
            throw new ElfFormatException($"ENOEXEC: {guestPath} is a 32-bit executable, and a kernel-mode user process under /trusted must be 64-bit (KML for AMD64 cannot let 32-bit code call the 64-bit kernel directly)");
        }

        if (current is not null)
        {
            throw new InvalidOperationException("the first process was already started");
        }

        if (mode.PrivilegedDirectory is { } privileged)
        {
            fileSystem.GiveToRoot(privileged);
        }

        GuestProcess process = ProcessLoader.Load(hardware, fileSystem, image, path, executablePath, argv, environment, stdin, seed, ringZero ? entry.DirectEntry : 0);
        process.BehindKernelEntry = true;
        process.KernelModeUser = ringZero;
        Cpu cpu = hardware.Cpu;
        hardware.AddressSpace.ShareKernelHalf(kernelSpace);
        cpu.Mmu.Cr3 = hardware.AddressSpace.Cr3; // (a CR3 write flushes the TLB)
        KernelTask task = NewTask(process, hardware.AddressSpace)!;
        process.User.WriteFaultResolver = ResolveUserWriteFault; // (one UserMemory serves every process: it is the CPU's)
        WriteThreadFlags(task, ringZero ? 1u << KernelLayout.TifKernelModeUser : 0);
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
        first = task;
        current = task;
        task.SliceLeft = TimeSliceTicks;
        if (RefusesEntry(process, cpu.Rip))
        {
            TaskEnded(task);
            machineStop = process.Ending;
        }

        return process;
    }

    /// <summary>Runs until the process ends or <paramref name="maxInstructions"/> more instructions (user and kernel) retire.</summary>
    public ProcessStop Run(long maxInstructions)
    {
        GuestProcess process = first?.Process ?? throw new InvalidOperationException("no process was started");
        Cpu cpu = hardware.Cpu;
        long target = maxInstructions >= long.MaxValue - cpu.InstructionsRetired ? long.MaxValue : cpu.InstructionsRetired + maxInstructions;
        while (machineStop is null)
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
                case StopReason.StopRequested when machineStop is null:
                    return new ProcessStop(RunOutcome.Limit, Message: "stopped at the host's request");
                case StopReason.Halted:
                    return new ProcessStop(RunOutcome.Error, Message: $"the CPU halted with nothing to wake it at 0x{cpu.Rip:x}");
                case StopReason.Fault or StopReason.Syscall:
                    return new ProcessStop(RunOutcome.Error, Message: $"unexpected stop with the kernel running at 0x{cpu.Rip:x}: {cpu.LastFault?.Message}");
            }
        }

        return machineStop.Value;
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

    /// <summary>Marks a signal pending for the first process (delivered on its next return to user code).</summary>
    public void SendSignal(int signal)
    {
        KernelTask leader = first ?? throw new InvalidOperationException("no process was started");
        if (leader.Group.Live.Count > 0 && leader.State is TaskState.Runnable or TaskState.Sleeping)
        {
            PostSignal(ChooseThread(leader.Group, signal), signal, new SignalInfo(SignalInfo.Kernel, 0));
        }
    }

    /// <inheritdoc/>
    public bool Owns(ulong address) => address == entry.SyscallHost || address == entry.InterruptHost || address == entry.WorkHost;

    /// <inheritdoc/>
    public void Invoke(Cpu cpu, ulong address)
    {
        KernelTask task = current ?? throw new InvalidOperationException("a host call without a process");
        AccountCpuTime(task);
        if (address == entry.SyscallHost)
        {
            Syscalls++;
            CountSyscall(task, (long)cpu.GetRegister(Gpr.Rax));
            meter.EnterRegion(AccountingRegion.SyscallBody);
            SystemCall(task);
        }
        else if (address == entry.InterruptHost)
        {
            meter.EnterRegion(AccountingRegion.Interrupt);
            Interrupt(cpu, task, cpu.GetRegister(Gpr.Rdi), (byte)cpu.GetRegister(Gpr.Rsi));
        }
        else
        {
            meter.EnterRegion(AccountingRegion.Scheduler);
            ExitWork(task, cpu.GetRegister(Gpr.Rdi));
        }

        if (task.Process.Ending is not null && task.State is TaskState.Runnable)
        {
            TaskEnded(task);
        }

        if (task.State != TaskState.Runnable || rescheduleNow)
        {
            meter.EnterRegion(AccountingRegion.Scheduler);
            Schedule();
        }

        // The code that follows every host call is an exit path (of a system call or an interrupt), and
        // the next kernel code to run is an entry path: both are entry/exit code. (The timing model
        // charges the instructions between here and the next host call to this region.)
        meter.EnterRegion(AccountingRegion.SyscallEntryExit);
    }

    private void Boot()
    {
        Cpu cpu = hardware.Cpu;
        MapKernel(KernelLayout.Text, KernelLayout.TextSize, PageFlags.Global);
        kernelSpace.Write(KernelLayout.Text, entry.Bytes);
        DeclareCode();

        MapKernel(KernelLayout.SyscallTable, KernelLayout.SyscallTableEntries * 8, PageFlags.Global | PageFlags.NoExecute);
        var table = new byte[KernelLayout.SyscallTableEntries * 8];
        for (int n = 0; n < KernelLayout.SyscallTableEntries; n++)
        {
            BitConverter.TryWriteBytes(table.AsSpan(n * 8), entry.SyscallHost);
        }

        kernelSpace.Write(KernelLayout.SyscallTable, table);

        var tables = new SystemTables(KernelLayout.Tables) { Rsp0 = KernelLayout.KernelStackTop(0) };
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
        tssBase = tables.TssBase;

        ulong stackTop = KernelLayout.KernelStackTop(0);
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

    /// <summary>
    /// Tells the meter which kernel code is what, so that cycles are charged by instruction address: the entry
    /// code is entry/exit code, except its host-call stubs, which stand for the system call handler, the
    /// interrupt handlers and the exit work (signals, scheduling).
    /// </summary>
    private void DeclareCode()
    {
        meter.MapCode(KernelLayout.Text, entry.Bytes.Length, AccountingRegion.SyscallEntryExit);
        meter.MapCode(entry.SyscallHost, EntryCode.HostCallLength, AccountingRegion.SyscallBody);
        meter.MapCode(entry.InterruptHost, EntryCode.HostCallLength, AccountingRegion.Interrupt);
        meter.MapCode(entry.WorkHost, EntryCode.HostCallLength, AccountingRegion.Scheduler);
    }

    private void MapKernel(ulong address, int length, PageFlags flags)
    {
        for (ulong page = address; page < address + (ulong)length; page += 0x1000)
        {
            kernelSpace.MapNew(page, flags);
        }
    }

    private static ulong ThreadInfo(KernelTask task) => KernelLayout.KernelStackTop(task.Slot) - KernelLayout.ThreadSize;

    private uint ReadThreadFlags(KernelTask task) => (uint)ReadKernel64(ThreadInfo(task) + KernelLayout.ThreadInfoFlags);

    private void WriteThreadFlags(KernelTask task, uint flags)
    {
        Span<byte> bytes = stackalloc byte[4];
        BitConverter.TryWriteBytes(bytes, flags);
        kernelSpace.Write(ThreadInfo(task) + KernelLayout.ThreadInfoFlags, bytes);
    }

    private void WriteKernel64(ulong address, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BitConverter.TryWriteBytes(bytes, value);
        kernelSpace.Write(address, bytes);
    }

    private ulong ReadKernel64(ulong address)
    {
        Span<byte> bytes = stackalloc byte[8];
        kernelSpace.Read(address, bytes);
        return BitConverter.ToUInt64(bytes);
    }

    /// <summary>The C# side of an interrupt or exception: <paramref name="frame"/> is the pt_regs the entry code built.</summary>
    private void Interrupt(Cpu cpu, KernelTask task, ulong frame, byte vector)
    {
        switch (vector)
        {
            case KernelLayout.TimerVector:
                Tick(task);
                return;
            case KernelLayout.HostSignalVector:
                SendSignal(hostSignal); // like a console interrupt turned into SIGINT; the exit work delivers it
                return;
        }

        Exception(cpu, task, frame, vector);
    }

    /// <summary>
    /// A write to a present page (from user code, or from kernel code touching user memory, as Linux's
    /// fault handler also serves) that copy-on-write resolves. With no frame left for the copy the process
    /// is killed with SIGKILL, as Linux's out-of-memory killer would end it (this kernel picks the faulting
    /// process rather than the largest); true then as well, since the kill is the outcome.
    /// </summary>
    private bool IsCopyOnWriteFault(KernelTask task, uint errorCode, ulong address)
    {
        const uint writeToPresent = PageFaultErrorCode.Present | PageFaultErrorCode.Write;
        if ((errorCode & writeToPresent) != writeToPresent || IsKernelAddress(address))
        {
            return false;
        }

        try
        {
            return Resolved(task.Process.Memory.TryResolveWriteFault(address, out bool copied), address, copied);
        }
        catch (GuestMemoryExhaustedException exhausted)
        {
            task.Process.Kill(FatalSignal.Kill, $"SIGKILL: out of memory at a copy-on-write fault at 0x{address:x} ({exhausted.Message})");
            return true;
        }
    }

    /// <summary>
    /// For copies to user memory by system call bodies (copy_to_user): a copy-on-write page of the running
    /// process gets its private copy. Out of memory, the copy fails (EFAULT to the caller).
    /// </summary>
    private bool ResolveUserWriteFault(ulong address)
    {
        try
        {
            return current is { } task && Resolved(task.Process.Memory.TryResolveWriteFault(address, out bool copied), address, copied);
        }
        catch (GuestMemoryExhaustedException)
        {
            return false;
        }
    }

    /// <summary>Tells the meter about a resolved copy-on-write write (its cost, and the page's changed translation); returns <paramref name="resolved"/>.</summary>
    private bool Resolved(bool resolved, ulong address, bool copied)
    {
        if (resolved)
        {
            meter.ChargeCopyOnWrite(address & ~0xFFFUL, copied);
        }

        return resolved;
    }

    /// <summary>
    /// The exit work before returning to a process (<paramref name="frame"/> is its complete register
    /// frame): pending unblocked signals (a handler gets a signal frame, a default action ends the
    /// process or does nothing) and rescheduling.
    /// </summary>
    private void ExitWork(KernelTask task, ulong frame)
    {
        uint flags = ReadThreadFlags(task);
        WriteThreadFlags(task, flags & ~(uint)KernelLayout.WorkMask);
        DeliverSignals(task, frame);
        rescheduleNow = (flags & (1u << KernelLayout.TifNeedResched)) != 0;
    }
}
