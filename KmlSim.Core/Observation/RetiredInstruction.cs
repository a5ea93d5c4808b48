using Iced.Intel;

namespace KmlSim.Observation;

/// <summary>
/// One retired instruction (or one event delivery) as the CPU reports it to an <see cref="IRetireObserver"/>:
/// compact, copied by reference, never allocated. Register sets are bit masks (<see cref="RegisterMask"/>);
/// memory accesses are the linear addresses the instruction touched, computed from the registers as they
/// were before it executed.
/// </summary>
public struct RetiredInstruction
{
    /// <summary>Linear address of the instruction (for an event: the RIP the frame saved).</summary>
    public ulong Ip;

    /// <summary>RIP after the instruction (the branch target when <see cref="Taken"/>; for an event, the handler).</summary>
    public ulong NextIp;

    /// <summary>Iced's code of the instruction (<see cref="Code.INVALID"/> for an event delivery).</summary>
    public Code Code;

    /// <summary>Instruction length in bytes (0 for an event).</summary>
    public byte Length;

    /// <summary>The CPL the instruction executed at (for an event: the CPL it interrupted).</summary>
    public byte Cpl;

    /// <summary>True when control did not fall through to the next sequential instruction.</summary>
    public bool Taken;

    /// <summary>True for a LOCK-prefixed instruction (an atomic read-modify-write).</summary>
    public bool Locked;

    /// <summary>
    /// True when the memory operand's address has three components (base + index + displacement) or a scaled
    /// index: K8 needs an extra cycle for such an LEA ([AMD-25112] Table 13 note 4).
    /// </summary>
    public bool ComplexAddress;

    /// <summary>The vector when this is an exception or interrupt delivery, else -1.</summary>
    public short EventVector;

    /// <summary>Registers the instruction reads (including address registers), as a <see cref="RegisterMask"/>.</summary>
    public ulong RegistersRead;

    /// <summary>Registers the instruction writes, as a <see cref="RegisterMask"/>.</summary>
    public ulong RegistersWritten;

    /// <summary>Number of memory accesses recorded (0, 1 or 2).</summary>
    public byte AccessCount;

    /// <summary>The first memory access.</summary>
    public MemoryAccess Access0;

    /// <summary>The second memory access (string moves, PUSH/POP of a memory operand, CALL through memory).</summary>
    public MemoryAccess Access1;

    /// <summary>Elements a REP-prefixed string instruction processed (RCX before minus after); 1 otherwise.</summary>
    public ulong RepeatCount;

    /// <summary>CR3 after the instruction: a change means the address space was switched (TLBs flush).</summary>
    public ulong Cr3;

    /// <summary>True for an exception or interrupt delivery rather than an instruction.</summary>
    public readonly bool IsEvent => EventVector >= 0;
}
