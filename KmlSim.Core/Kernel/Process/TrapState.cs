namespace KmlSim.Kernel.Process;

/// <summary>
/// A thread's trap state (Linux's thread.trap_nr, error_code, cr2): set by each exception that becomes a
/// signal, written into every signal frame's sigcontext, kept across fork.
/// </summary>
/// <param name="TrapNumber">The vector (sigcontext trapno).</param>
/// <param name="ErrorCode">The error code as reported (sigcontext err).</param>
/// <param name="Cr2">The address of the last page fault (sigcontext cr2).</param>
internal readonly record struct TrapState(ulong TrapNumber, ulong ErrorCode, ulong Cr2);
