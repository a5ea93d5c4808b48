using Iced.Intel;

namespace KmlSim.Decoding;

/// <summary>
/// The interpreter's compact form of one instruction: everything a handler needs, copied out of Iced's
/// <see cref="Instruction"/> once at decode time so that no Iced code runs per executed instruction.
/// </summary>
internal unsafe struct DecodedInstruction
{
    /// <summary>The semantic routine.</summary>
    public delegate*<Execution.Cpu, ref DecodedInstruction, void> Execute;

    /// <summary>Linear address of the instruction.</summary>
    public ulong Ip;

    /// <summary>Linear address of the next instruction.</summary>
    public ulong NextIp;

    /// <summary>The immediate (sign-extended as encoded) or the near-branch target.</summary>
    public ulong Immediate;

    /// <summary>A second immediate (ENTER's nesting level, EXTRQ-style forms).</summary>
    public ulong Immediate2;

    /// <summary>Memory displacement; for RIP-relative operands the absolute address (base is none).</summary>
    public ulong Displacement;

    /// <summary>Iced's code (kept for the timing model's cost table and for diagnostics).</summary>
    public Code Code;

    /// <summary>Instruction length in bytes.</summary>
    public byte Length;

    /// <summary>Number of explicit operands.</summary>
    public byte OpCount;

    /// <summary>Operand 0 kind.</summary>
    public OperandKind Kind0;
    /// <summary>Operand 1 kind.</summary>
    public OperandKind Kind1;
    /// <summary>Operand 2 kind.</summary>
    public OperandKind Kind2;

    /// <summary>Operand 0 register index.</summary>
    public byte Reg0;
    /// <summary>Operand 1 register index.</summary>
    public byte Reg1;
    /// <summary>Operand 2 register index.</summary>
    public byte Reg2;

    /// <summary>Operand 0 size in bytes.</summary>
    public byte Size0;
    /// <summary>Operand 1 size in bytes.</summary>
    public byte Size1;
    /// <summary>Operand 2 size in bytes.</summary>
    public byte Size2;

    /// <summary>Memory base register (0-15) or <see cref="NoRegister"/>.</summary>
    public byte MemBase;

    /// <summary>Memory index register (0-15) or <see cref="NoRegister"/>.</summary>
    public byte MemIndex;

    /// <summary>Index scale: 1, 2, 4 or 8.</summary>
    public byte MemScale;

    /// <summary>Segment whose base is added: 0 none, 4 FS, 5 GS (other segments have base 0 in 64-bit mode).</summary>
    public byte MemSegment;

    /// <summary>Size of the memory operand in bytes (0 when there is none).</summary>
    public byte MemSize;

    /// <summary>Condition code for Jcc/SETcc/CMOVcc/FCMOVcc (Iced's ConditionCode numbering).</summary>
    public byte Condition;

    /// <summary>Prefix flags (<see cref="PrefixRep"/> etc.).</summary>
    public byte Prefixes;

    /// <summary>Address size in bytes (8, or 4 with a 0x67 prefix).</summary>
    public byte AddressSize;

    /// <summary>Registers read, as a <see cref="Observation.RegisterMask"/> (for observers; the interpreter ignores it).</summary>
    public ulong RegistersRead;

    /// <summary>Registers written, as a <see cref="Observation.RegisterMask"/> (for observers).</summary>
    public ulong RegistersWritten;

    /// <summary>Facts an observer needs that never change between executions (<see cref="ObservedLocked"/> etc.), fixed at decode.</summary>
    public byte ObservedFlags;

    /// <summary>LOCK-prefixed.</summary>
    public const byte ObservedLocked = 1;

    /// <summary>A memory operand with a scaled index, or base + index + displacement.</summary>
    public const byte ObservedComplexAddress = 2;

    /// <summary>A REP/REPNE-prefixed string instruction (its element count comes from RCX).</summary>
    public const byte ObservedRepeatedString = 4;

    /// <summary>Which memory the instruction touches (<see cref="AccessExplicitRead"/> etc.; for observers).</summary>
    public byte MemoryAccess;

    /// <summary>The explicit memory operand is read.</summary>
    public const byte AccessExplicitRead = 1;
    /// <summary>The explicit memory operand is written.</summary>
    public const byte AccessExplicitWrite = 2;
    /// <summary>Pops: reads [RSP].</summary>
    public const byte AccessStackRead = 4;
    /// <summary>Pushes: writes [RSP - 8].</summary>
    public const byte AccessStackWrite = 8;
    /// <summary>String source: reads [RSI].</summary>
    public const byte AccessStringSource = 16;
    /// <summary>String destination read (CMPS/SCAS): reads [RDI].</summary>
    public const byte AccessStringDestinationRead = 32;
    /// <summary>String destination write (MOVS/STOS): writes [RDI].</summary>
    public const byte AccessStringDestinationWrite = 64;

    /// <summary>Marks an absent base or index register.</summary>
    public const byte NoRegister = 0xFF;

    /// <summary>REP/REPE prefix.</summary>
    public const byte PrefixRep = 1;
    /// <summary>REPNE prefix.</summary>
    public const byte PrefixRepne = 2;
    /// <summary>LOCK prefix.</summary>
    public const byte PrefixLock = 4;
}
