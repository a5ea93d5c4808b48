namespace KmlSim.Guests;

/// <summary>A C toolchain that builds static x86-64 Linux guests.</summary>
public enum GuestToolchain
{
    /// <summary><c>gcc -O2 -static</c>: glibc, a position-dependent ET_EXEC binary.</summary>
    Glibc,
    /// <summary><c>gcc -O2 -static-pie</c>: glibc, a static-PIE (ET_DYN) binary that relocates itself.</summary>
    GlibcStaticPie,
    /// <summary><c>musl-gcc -O2 -static</c>: musl libc.</summary>
    Musl,
}
