namespace KmlSim.Interrupts;

/// <summary>Architectural exception vectors (AMD64 APM vol. 2, table 8-1).</summary>
public enum ExceptionVector : byte
{
    /// <summary>#DE, divide by zero or quotient overflow.</summary>
    DivideError = 0,
    /// <summary>#DB.</summary>
    Debug = 1,
    /// <summary>Non-maskable interrupt.</summary>
    Nmi = 2,
    /// <summary>#BP, INT3.</summary>
    Breakpoint = 3,
    /// <summary>#OF, INTO.</summary>
    Overflow = 4,
    /// <summary>#BR.</summary>
    BoundRange = 5,
    /// <summary>#UD, invalid or unimplemented opcode.</summary>
    InvalidOpcode = 6,
    /// <summary>#NM.</summary>
    DeviceNotAvailable = 7,
    /// <summary>#DF.</summary>
    DoubleFault = 8,
    /// <summary>#TS.</summary>
    InvalidTss = 10,
    /// <summary>#NP.</summary>
    SegmentNotPresent = 11,
    /// <summary>#SS.</summary>
    StackFault = 12,
    /// <summary>#GP.</summary>
    GeneralProtection = 13,
    /// <summary>#PF.</summary>
    PageFault = 14,
    /// <summary>#MF, x87 floating-point exception.</summary>
    X87FloatingPoint = 16,
    /// <summary>#AC.</summary>
    AlignmentCheck = 17,
    /// <summary>#MC.</summary>
    MachineCheck = 18,
    /// <summary>#XF, SIMD floating-point exception.</summary>
    SimdFloatingPoint = 19,
}
