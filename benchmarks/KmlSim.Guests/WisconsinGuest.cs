namespace KmlSim.Guests;

/// <summary>
/// The Wisconsin analog guest, <c>guests/wisc.c</c> (shipped beside the assemblies that reference this
/// project): its source, its libraries and its build. The command line is fixed (see the file's comment):
/// <c>wisc --db PATH [--create] [--loops N] [--queries 1,2,5] [--cache PAGES] [--variant client-server|single|memory] [--seed S]</c>.
/// </summary>
public static class WisconsinGuest
{
    /// <summary>
    /// What wisc links beyond libc and libm: Debian's static SQLite, and libpthread and libdl, which SQLite
    /// uses and which are separate archives before glibc 2.34 (empty stubs since, so harmless here).
    /// </summary>
    public static IReadOnlyList<GuestLibrary> Libraries { get; } = [GuestLibrary.Sqlite3, GuestLibrary.Pthread, GuestLibrary.Dl];

    /// <summary>The source shipped beside the running assemblies (<c>guests/wisc.c</c>).</summary>
    public static string SourcePath => Path.Combine(AppContext.BaseDirectory, "guests", "wisc.c");

    /// <summary>Builds (or finds in the guest cache) the static glibc wisc binary and returns its path.</summary>
    /// <exception cref="GuestBuildException">gcc or libsqlite3.a (package libsqlite3-dev) is missing, or the build failed.</exception>
    /// <exception cref="IOException">The source cannot be read.</exception>
    public static string Build() => GuestCompiler.Build(SourcePath, GuestToolchain.Glibc, Libraries);
}
