namespace KmlSim.Isa;

/// <summary>General-purpose register numbers in encoding order (ModRM/REX numbering).</summary>
public enum Gpr : byte
{
    /// <summary>RAX.</summary>
    Rax, /// <summary>RCX.</summary>
    Rcx, /// <summary>RDX.</summary>
    Rdx, /// <summary>RBX.</summary>
    Rbx, /// <summary>RSP.</summary>
    Rsp, /// <summary>RBP.</summary>
    Rbp, /// <summary>RSI.</summary>
    Rsi, /// <summary>RDI.</summary>
    Rdi, /// <summary>R8.</summary>
    R8, /// <summary>R9.</summary>
    R9, /// <summary>R10.</summary>
    R10, /// <summary>R11.</summary>
    R11, /// <summary>R12.</summary>
    R12, /// <summary>R13.</summary>
    R13, /// <summary>R14.</summary>
    R14, /// <summary>R15.</summary>
    R15,
}
