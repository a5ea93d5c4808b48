namespace KmlSim.Decoding;

/// <summary>What an operand slot of a decoded instruction refers to.</summary>
internal enum OperandKind : byte
{
    /// <summary>No operand.</summary>
    None,
    /// <summary>A general-purpose register (index 0-15; low 8/16/32/64 bits by size).</summary>
    Gpr,
    /// <summary>AH, CH, DH or BH (index 0-3 names RAX..RBX).</summary>
    GprHigh8,
    /// <summary>The memory operand described by the instruction's address fields.</summary>
    Memory,
    /// <summary>The immediate (already sign- or zero-extended as the encoding defines).</summary>
    Immediate,
    /// <summary>An XMM register (index 0-15).</summary>
    Xmm,
    /// <summary>A segment register (ES, CS, SS, DS, FS, GS = 0-5).</summary>
    Segment,
    /// <summary>A control register (index = CRn).</summary>
    Control,
    /// <summary>An x87 stack register ST(i).</summary>
    X87,
    /// <summary>An MMX register (index 0-7).</summary>
    Mmx,
    /// <summary>Any other register Iced names (debug registers etc.): the handler decides.</summary>
    OtherRegister,
}
