namespace KmlSim.Kernel.Files;

/// <summary>open(2) flags as x86-64 Linux numbers them (asm-generic/fcntl.h).</summary>
internal static class OpenFlags
{
    /// <summary>Mask of the access mode.</summary>
    public const int AccessMode = 3;
    /// <summary>O_RDONLY.</summary>
    public const int ReadOnly = 0;
    /// <summary>O_WRONLY.</summary>
    public const int WriteOnly = 1;
    /// <summary>O_RDWR.</summary>
    public const int ReadWrite = 2;
    /// <summary>O_CREAT.</summary>
    public const int Create = 0x40;
    /// <summary>O_EXCL.</summary>
    public const int Exclusive = 0x80;
    /// <summary>O_NOCTTY.</summary>
    public const int NoControllingTerminal = 0x100;
    /// <summary>O_TRUNC.</summary>
    public const int Truncate = 0x200;
    /// <summary>O_APPEND.</summary>
    public const int Append = 0x400;
    /// <summary>O_NONBLOCK.</summary>
    public const int NonBlocking = 0x800;
    /// <summary>O_LARGEFILE: x86-64 Linux sets it on every file opened by path (force_o_largefile), and F_GETFL shows it.</summary>
    public const int LargeFile = 0x8000;
    /// <summary>O_DIRECTORY.</summary>
    public const int Directory = 0x10000;
    /// <summary>O_NOFOLLOW.</summary>
    public const int NoFollow = 0x20000;
    /// <summary>O_CLOEXEC.</summary>
    public const int CloseOnExec = 0x80000;

    /// <summary>The flags F_SETFL may change (Linux: O_APPEND, O_NONBLOCK, O_ASYNC, O_DIRECT, O_NOATIME).</summary>
    public const int Settable = Append | NonBlocking;

    /// <summary>The status flags an open file description keeps (F_GETFL reports them).</summary>
    public const int Kept = AccessMode | Append | NonBlocking | LargeFile;
}
