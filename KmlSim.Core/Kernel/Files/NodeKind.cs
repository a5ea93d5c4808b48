namespace KmlSim.Kernel.Files;

/// <summary>What a file-system node is; the value is the S_IFMT bits stat reports.</summary>
internal enum NodeKind : uint
{
    /// <summary>A FIFO (pipes, and the standard streams, which behave like a shell's pipes).</summary>
    Fifo = 0x1000,
    /// <summary>A character device (/dev/null, /dev/zero, /dev/urandom).</summary>
    CharacterDevice = 0x2000,
    /// <summary>A directory.</summary>
    Directory = 0x4000,
    /// <summary>A regular file.</summary>
    Regular = 0x8000,
    /// <summary>A symbolic link.</summary>
    Symlink = 0xA000,
    /// <summary>A socket (one end of a socket pair).</summary>
    Socket = 0xC000,
}
