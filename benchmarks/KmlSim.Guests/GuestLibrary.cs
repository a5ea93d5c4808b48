namespace KmlSim.Guests;

/// <summary>
/// A static library a guest links beyond libc and libm (always linked): the <c>-l</c> name and the Debian
/// package that provides its <c>lib<i>Name</i>.a</c>, so that a missing library is reported by what to install.
/// </summary>
/// <param name="Name">The name given to <c>-l</c> (<c>sqlite3</c> for libsqlite3.a).</param>
/// <param name="Package">The Debian package that installs the static library.</param>
public sealed record GuestLibrary(string Name, string Package)
{
    /// <summary>SQLite 3 (Debian's libsqlite3.a, from libsqlite3-dev), used by the Wisconsin analog.</summary>
    public static GuestLibrary Sqlite3 { get; } = new("sqlite3", "libsqlite3-dev");

    /// <summary>POSIX threads: part of libc since glibc 2.34, a separate libpthread.a before (libc6-dev).</summary>
    public static GuestLibrary Pthread { get; } = new("pthread", "libc6-dev");

    /// <summary>dlopen and friends: part of libc since glibc 2.34, a separate libdl.a before (libc6-dev).</summary>
    public static GuestLibrary Dl { get; } = new("dl", "libc6-dev");
}
