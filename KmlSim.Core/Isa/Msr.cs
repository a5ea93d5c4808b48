namespace KmlSim.Isa;

/// <summary>Model-specific register numbers used by the machine (AMD64 APM vol. 2, appendix A).</summary>
public static class Msr
{
    /// <summary>Time-stamp counter.</summary>
    public const uint Tsc = 0x0000_0010;
    /// <summary>Extended feature enable register.</summary>
    public const uint Efer = 0xC000_0080;
    /// <summary>SYSCALL/SYSRET segment selectors (and legacy target).</summary>
    public const uint Star = 0xC000_0081;
    /// <summary>64-bit SYSCALL target.</summary>
    public const uint Lstar = 0xC000_0082;
    /// <summary>Compatibility-mode SYSCALL target.</summary>
    public const uint Cstar = 0xC000_0083;
    /// <summary>RFLAGS bits SYSCALL clears.</summary>
    public const uint Sfmask = 0xC000_0084;
    /// <summary>FS base.</summary>
    public const uint FsBase = 0xC000_0100;
    /// <summary>GS base.</summary>
    public const uint GsBase = 0xC000_0101;
    /// <summary>The GS base SWAPGS exchanges with <see cref="GsBase"/>.</summary>
    public const uint KernelGsBase = 0xC000_0102;

    /// <summary>EFER.SCE: SYSCALL/SYSRET enabled.</summary>
    public const ulong EferSce = 1UL << 0;
    /// <summary>EFER.LME: long mode enabled.</summary>
    public const ulong EferLme = 1UL << 8;
    /// <summary>EFER.LMA: long mode active.</summary>
    public const ulong EferLma = 1UL << 10;
    /// <summary>EFER.NXE: no-execute page protection enabled.</summary>
    public const ulong EferNxe = 1UL << 11;
}
