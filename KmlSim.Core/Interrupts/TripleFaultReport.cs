namespace KmlSim.Interrupts;

/// <summary>
/// The state of the processor when it shut down on a triple fault (an exception while delivering #DF):
/// the chain of vectors that led there and the registers that explain it. A real machine resets at this
/// point; the simulator ends the run and keeps the state for inspection.
/// </summary>
/// <param name="Vectors">Every event in the chain, the first (the original event) to the last (the fault that could not be delivered).</param>
/// <param name="Rip">RIP of the interrupted instruction.</param>
/// <param name="Rsp">RSP at the time of the first event.</param>
/// <param name="Cr2">CR2: the last page-fault address.</param>
/// <param name="Cpl">CPL at the time of the first event.</param>
/// <param name="LastErrorCode">Error code of the last fault, when it has one.</param>
public sealed record TripleFaultReport(IReadOnlyList<byte> Vectors, ulong Rip, ulong Rsp, ulong Cr2, int Cpl, uint? LastErrorCode)
{
    /// <summary>One line for logs and test failures.</summary>
    public override string ToString() =>
        $"triple fault (machine reset): {string.Join(" -> ", Vectors.Select(ExceptionNames.Mnemonic))}"
        + (LastErrorCode is { } e ? $" (last error code 0x{e:x})" : "")
        + $" at RIP=0x{Rip:x} RSP=0x{Rsp:x} CR2=0x{Cr2:x} CPL {Cpl}";
}
