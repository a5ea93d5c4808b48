namespace KmlSim.Guests;

/// <summary>A C toolchain that builds x86-64 Linux guests (static, but for <see cref="GlibcDynamic"/>).</summary>
public enum GuestToolchain
{
    /// <summary><c>gcc -O2 -static</c>: glibc, a position-dependent ET_EXEC binary.</summary>
    Glibc,
    /// <summary><c>gcc -O2 -static-pie</c>: glibc, a static-PIE (ET_DYN) binary that relocates itself.</summary>
    GlibcStaticPie,
    /// <summary><c>musl-gcc -O2 -static</c>: musl libc.</summary>
    Musl,
    /// <summary><c>gcc -O2</c>: a dynamically linked glibc PIE, which runs with the host's ld.so and shared libraries.</summary>
    GlibcDynamic,
}
