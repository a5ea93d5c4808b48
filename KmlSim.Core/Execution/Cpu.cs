using System.Runtime.Intrinsics;
using KmlSim.Decoding;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Memory;

namespace KmlSim.Execution;

/// <summary>
/// The functional x86-64 processor: architectural state and the interpreter loop. Instruction semantics
/// live in one partial file per family. The loop runs decoded blocks; a handler that must end the block
/// early (a mode change, a stop, code invalidation) sets <see cref="breakBlock"/>.
/// </summary>
public sealed unsafe partial class Cpu
{
    internal readonly ulong[] R = new ulong[16];
    /// <summary>XMM0-15, then two slots MMX instructions borrow to run their SSE2 forms (see Cpu.Mmx.cs).</summary>
    internal readonly Vector128<byte>[] Xmm = new Vector128<byte>[MmxSourceSlot + 1];
    private readonly DecodeCache decodeCache;
    private DecodedBlock? currentBlock;
    internal bool breakBlock;
    private StopReason? pendingStop;
    private bool attention; // a stop or an event check was requested: look after the current block
    private readonly InterruptDelivery delivery;

    /// <summary>Creates a CPU over physical memory, in 64-bit mode at CPL 0 with paging from <see cref="Mmu.Cr3"/>.</summary>
    public Cpu(PhysicalMemory memory)
    {
        Memory = memory;
        Mmu = new Mmu(memory);
        decodeCache = new DecodeCache(Mmu, new InstructionTranslator(HandlerTable.Default));
        decodeCache.Invalidated += () => breakBlock = true;
        delivery = new InterruptDelivery(this);
        Timer = new LocalTimer(this);
        ResetX87();
    }

    /// <summary>Physical memory.</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>The MMU (CR3, paging, the software TLB).</summary>
    public Mmu Mmu { get; }

    /// <summary>Instruction pointer.</summary>
    public ulong Rip;

    /// <summary>SSE control/status register.</summary>
    public uint Mxcsr = DefaultMxcsr;

    /// <summary>FS segment base (64-bit mode: the only part of FS that matters for addressing).</summary>
    public ulong FsBase;

    /// <summary>GS segment base.</summary>
    public ulong GsBase;

    /// <summary>The value SWAPGS exchanges with <see cref="GsBase"/>.</summary>
    public ulong KernelGsBase;

    /// <summary>Segment selectors ES, CS, SS, DS, FS, GS (encoding order).</summary>
    public readonly ushort[] Selectors = new ushort[6];

    /// <summary>Current privilege level (0 or 3 in this machine).</summary>
    public int Cpl
    {
        get => cpl;
        set
        {
            cpl = value;
            Mmu.UserMode = value == 3;
        }
    }

    private int cpl;

    /// <summary>
    /// When set, SYSCALL does not transfer to LSTAR but stops <see cref="Run"/> with
    /// <see cref="StopReason.Syscall"/>, so a host-side process runner can service it (gem5-style
    /// syscall emulation). The simulated kernel with real entry code clears it.
    /// </summary>
    public bool SyscallExits { get; set; }

    /// <summary>Instructions retired since the CPU was created.</summary>
    public long InstructionsRetired { get; private set; }

    /// <summary>
    /// The part of <see cref="InstructionsRetired"/> executed in the kernel half of the address space (the
    /// functional measure of system time; a ring-0 KML process's own code is in the user half, so it stays user time).
    /// </summary>
    public long KernelHalfInstructions { get; private set; }

    /// <summary>Time-stamp counter source: RDTSC returns this when set, else the retired-instruction count.</summary>
    public Func<ulong>? TimeStampSource { get; set; }

    /// <summary>The exception that ended the last run with <see cref="StopReason.Fault"/>.</summary>
    public GuestFaultException? LastFault { get; private set; }

    /// <summary>Reads a general-purpose register.</summary>
    public ulong GetRegister(Gpr register) => R[(int)register];

    /// <summary>Writes a general-purpose register.</summary>
    public void SetRegister(Gpr register, ulong value) => R[(int)register] = value;

    /// <summary>Reads an XMM register.</summary>
    public Vector128<byte> GetXmm(int index) => Xmm[index];

    /// <summary>Writes an XMM register.</summary>
    public void SetXmm(int index, Vector128<byte> value) => Xmm[index] = value;

    /// <summary>Asks a running <see cref="Run"/> to return after the current instruction.</summary>
    public void RequestStop()
    {
        pendingStop = StopReason.StopRequested;
        attention = true;
        breakBlock = true;
    }

    /// <summary>Ends the run after the current instruction with a reason (used by handlers).</summary>
    internal void Stop(StopReason reason)
    {
        pendingStop = reason;
        attention = true;
        breakBlock = true;
    }

    /// <summary>
    /// Runs at most <paramref name="maxInstructions"/> instructions. Exceptions and interrupts go through
    /// the IDT when one is loaded (<see cref="Idtr"/>); without one an exception ends the run.
    /// </summary>
    public StopReason Run(long maxInstructions)
    {
        long target = InstructionsRetired + maxInstructions;
        pendingStop = null;
        nextEventAt = 0; // the host may have changed IF, the timer or the IDT since the last run
        while (true)
        {
            try
            {
                return RunBlocks(target);
            }
            catch (GuestFaultException fault)
            {
                if (TakeException(fault) is { } stop)
                {
                    return stop;
                }
            }
        }
    }

    private StopReason RunBlocks(long target)
    {
        currentBlock = null;
        attention = false;
        if (InstructionsRetired >= nextEventAt && ServiceEvents() is { } startStop)
        {
            return startStop;
        }

        // One bound for the target and the next event, so that events cost nothing per block unless due.
        long limit = StepLimit(Math.Min(target, nextEventAt));
        DecodedBlock block = decodeCache.Get(Rip);
        while (true)
        {
            if (singleStepping)
            {
                CheckPendingX87(in block.Instructions[0]);
                CheckAlignment();
            }

            currentBlock = block;
            int count = (int)Math.Min(block.Instructions.Length, limit - InstructionsRetired);
            bool kernelHalf = (long)Rip < 0; // a block never spans the non-canonical gap between the halves
            int retired = observer is null ? ExecuteBlock(block.Instructions, count) : ExecuteBlockObserved(block.Instructions, count);
            InstructionsRetired += retired;
            if (kernelHalf)
            {
                KernelHalfInstructions += retired;
            }

            if (attention || InstructionsRetired >= limit)
            {
                attention = false;
                if (pendingStop is { } reason)
                {
                    pendingStop = null;
                    return reason;
                }

                if (SingleStepTrap() is { } stepStop)
                {
                    return stepStop; // (a trap delivered here has moved RIP to its handler)
                }

                if (InstructionsRetired >= target)
                {
                    return StopReason.InstructionLimit;
                }

                if (InstructionsRetired >= nextEventAt && ServiceEvents() is { } eventStop)
                {
                    return eventStop; // (an interrupt taken here has moved RIP to its handler)
                }

                limit = StepLimit(Math.Min(target, nextEventAt));
            }

            ulong rip = Rip;
            long epoch = Mmu.FetchEpoch;
            DecodedBlock? next = block.Successor(rip, epoch);
            if (next is null)
            {
                currentBlock = null;
                next = decodeCache.Get(rip);
                block.RememberSuccessor(rip, next, epoch);
            }

            block = next;
        }
    }

    /// <summary>
    /// Executes up to <paramref name="count"/> instructions of a block and returns how many retired. Kept
    /// apart from <see cref="RunBlocks"/> so that the JIT optimises this hot loop as a normal method
    /// rather than through on-stack replacement of the long-running outer loop.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private int ExecuteBlock(DecodedInstruction[] code, int count)
    {
        breakBlock = false;
        int i = 0;
        while (i < count)
        {
            ref DecodedInstruction d = ref code[i];
            Rip = d.NextIp;
            d.Execute(this, ref d);
            i++;
            if (Rip != d.NextIp || breakBlock)
            {
                break;
            }
        }

        return i;
    }

    /// <summary>
    /// After a fault unwinds a block: handlers never change RIP before their last possible fault, so RIP
    /// still equals the faulting instruction's NextIp; point RIP back at it, count the instructions of the
    /// block that did retire, and return the next instruction's address (what a trap saves).
    /// </summary>
    private ulong RecoverFaultingInstruction()
    {
        if (currentBlock is null)
        {
            return Rip; // the fetch of the block itself faulted: RIP is already the faulting address
        }

        DecodedInstruction[] code = currentBlock.Instructions;
        for (int i = 0; i < code.Length; i++)
        {
            if (code[i].NextIp == Rip)
            {
                InstructionsRetired += i;
                if ((long)code[i].Ip < 0)
                {
                    KernelHalfInstructions += i;
                }

                Rip = code[i].Ip;
                return code[i].NextIp;
            }
        }

        return Rip;
    }

    /// <summary>The #UD handler, used for every instruction the interpreter does not implement.</summary>
    internal static void InvalidOpcode(Cpu cpu, ref DecodedInstruction d) =>
        throw new GuestFaultException(ExceptionVector.InvalidOpcode);

    /// <summary>Reads up to 15 bytes of an instruction at <paramref name="linear"/>; returns how many could be read before a fault.</summary>
    private int ReadInstructionBytes(ulong linear, byte[] bytes)
    {
        int n = 0;
        try
        {
            for (; n < bytes.Length; n++)
            {
                bytes[n] = Mmu.Read8(linear + (ulong)n);
            }
        }
        catch (GuestFaultException)
        {
            // an instruction that ends before the unreadable byte decodes from what was read
        }

        return n;
    }

    /// <summary>Describes the instruction at a linear address (for diagnostics such as SIGILL reports).</summary>
    public string Disassemble(ulong linear)
    {
        var bytes = new byte[15];
        int n = ReadInstructionBytes(linear, bytes);
        var decoder = Iced.Intel.Decoder.Create(64, new Iced.Intel.ByteArrayCodeReader(bytes, 0, n), linear);
        decoder.Decode(out var instruction);
        var output = new Iced.Intel.StringOutput();
        new Iced.Intel.NasmFormatter().Format(instruction, output);
        string hex = Convert.ToHexString(bytes, 0, Math.Min(n, instruction.Length == 0 ? n : instruction.Length));
        return $"{output} ({hex})";
    }
}
