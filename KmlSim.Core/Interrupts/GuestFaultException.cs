namespace KmlSim.Interrupts;

/// <summary>
/// An architectural exception raised by a guest instruction. It unwinds the interpreter to the run loop,
/// which delivers it (through the IDT, or to the process runner as a signal); it never escapes to the
/// library's caller. Faults are rare, so a host exception keeps every instruction's fast path free of
/// error checks.
/// </summary>
public sealed class GuestFaultException : Exception
{
    /// <summary>Creates a fault.</summary>
    public GuestFaultException(ExceptionVector vector, uint? errorCode = null, ulong faultAddress = 0)
        : base($"guest exception {vector}" + (errorCode is { } e ? $" (error code 0x{e:x})" : ""))
    {
        Vector = vector;
        ErrorCode = errorCode;
        FaultAddress = faultAddress;
    }

    /// <summary>
    /// A software interrupt (INT n, INT3): a trap, so the frame saves the next RIP, and the gate's DPL must
    /// allow the CPL. Without a loaded IDT it ends the run like a fault, at the instruction.
    /// </summary>
    public static GuestFaultException SoftwareInterrupt(byte vector) => new((ExceptionVector)vector) { IsSoftwareInterrupt = true };

    /// <summary>
    /// #GP(0) for an access to the non-canonical address <paramref name="linear"/> (kept in
    /// <see cref="FaultAddress"/>; CR2 does not change). The CPU makes it #SS(0) when the access went through
    /// SS, which only the instruction tells.
    /// </summary>
    public static GuestFaultException NonCanonical(ulong linear) => new(ExceptionVector.GeneralProtection, 0, linear) { IsNonCanonical = true };

    /// <summary>True for a <see cref="NonCanonical"/> access.</summary>
    public bool IsNonCanonical { get; private init; }

    /// <summary>True for INT n and INT3 (see <see cref="SoftwareInterrupt"/>).</summary>
    public bool IsSoftwareInterrupt { get; private init; }

    /// <summary>The exception vector.</summary>
    public ExceptionVector Vector { get; }

    /// <summary>The error code pushed with the exception, when the vector defines one.</summary>
    public uint? ErrorCode { get; }

    /// <summary>For #PF, the linear address that faulted (what CR2 receives); for a <see cref="NonCanonical"/> access, that address.</summary>
    public ulong FaultAddress { get; }
}
