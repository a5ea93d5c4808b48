namespace KmlSim.Isa;

/// <summary>
/// Bits of CR0 and CR4 (AMD64 APM vol. 2, §3.1.1 and §3.1.3) and the values this machine starts with:
/// long mode with paging, as the kernel leaves them after boot.
/// </summary>
public static class ControlRegisters
{
    /// <summary>CR0.PE: protection enabled.</summary>
    public const ulong Cr0Pe = 1UL << 0;
    /// <summary>CR0.MP: monitor coprocessor.</summary>
    public const ulong Cr0Mp = 1UL << 1;
    /// <summary>CR0.EM: x87 emulation.</summary>
    public const ulong Cr0Em = 1UL << 2;
    /// <summary>CR0.TS: task switched.</summary>
    public const ulong Cr0Ts = 1UL << 3;
    /// <summary>CR0.ET: extension type, hard-wired to one on AMD64 processors.</summary>
    public const ulong Cr0Et = 1UL << 4;
    /// <summary>CR0.NE: numeric error reporting.</summary>
    public const ulong Cr0Ne = 1UL << 5;
    /// <summary>CR0.WP: supervisor writes honour read-only pages.</summary>
    public const ulong Cr0Wp = 1UL << 16;
    /// <summary>CR0.AM: alignment mask.</summary>
    public const ulong Cr0Am = 1UL << 18;
    /// <summary>CR0.NW: not write-through.</summary>
    public const ulong Cr0Nw = 1UL << 29;
    /// <summary>CR0.CD: cache disable.</summary>
    public const ulong Cr0Cd = 1UL << 30;
    /// <summary>CR0.PG: paging.</summary>
    public const ulong Cr0Pg = 1UL << 31;

    /// <summary>CR4.TSD: RDTSC is privileged.</summary>
    public const ulong Cr4Tsd = 1UL << 2;
    /// <summary>CR4.PSE: page-size extensions.</summary>
    public const ulong Cr4Pse = 1UL << 4;
    /// <summary>CR4.PAE: physical-address extension (required by long mode).</summary>
    public const ulong Cr4Pae = 1UL << 5;
    /// <summary>CR4.PGE: global pages.</summary>
    public const ulong Cr4Pge = 1UL << 7;
    /// <summary>CR4.OSFXSR: FXSAVE/FXRSTOR and SSE enabled by the OS.</summary>
    public const ulong Cr4Osfxsr = 1UL << 9;
    /// <summary>CR4.OSXMMEXCPT: unmasked SIMD floating-point exceptions raise #XF.</summary>
    public const ulong Cr4Osxmmexcpt = 1UL << 10;

    /// <summary>CR4 bits the K8 implements (VME..OSXMMEXCPT); setting any other bit raises #GP(0).</summary>
    public const ulong Cr4Implemented = 0x7FF;

    /// <summary>CR3 bits 63:52 are reserved (must be zero).</summary>
    public const ulong Cr3Reserved = 0xFFF0_0000_0000_0000UL;

    /// <summary>CR0 after a Linux x86-64 boot: PE, MP, ET, NE, WP, AM, PG.</summary>
    public const ulong Cr0Initial = Cr0Pe | Cr0Mp | Cr0Et | Cr0Ne | Cr0Wp | Cr0Am | Cr0Pg;

    /// <summary>CR4 after a Linux x86-64 boot: PSE, PAE, PGE, OSFXSR, OSXMMEXCPT.</summary>
    public const ulong Cr4Initial = Cr4Pse | Cr4Pae | Cr4Pge | Cr4Osfxsr | Cr4Osxmmexcpt;
}
