using System.Runtime.InteropServices;

namespace KmlSim.Tests.Native;

/// <summary>The few libc calls the native harness needs (Linux x86-64 constants).</summary>
internal static partial class LibC
{
    /// <summary>Pages may be read.</summary>
    public const int ProtRead = 1;

    /// <summary>Pages may be written.</summary>
    public const int ProtWrite = 2;

    /// <summary>Pages may be executed.</summary>
    public const int ProtExec = 4;

    /// <summary>Changes are private to the process.</summary>
    public const int MapPrivate = 0x02;

    /// <summary>Not backed by a file; zero-filled.</summary>
    public const int MapAnonymous = 0x20;

    /// <summary>What <see cref="Mmap"/> returns on failure.</summary>
    public static readonly nint MapFailed = -1;

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint address, nuint length);
}
