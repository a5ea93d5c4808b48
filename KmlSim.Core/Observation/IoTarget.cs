namespace KmlSim.Observation;

/// <summary>
/// What the descriptor of a read or write system call refers to. The 2.6.11 code paths differ by target
/// (fs/pipe.c, net/unix/af_unix.c, drivers/char/mem.c, mm/filemap.c), so the kernel tells its work meter
/// (<see cref="IKernelWorkMeter.Charge"/>) which one a call went down.
/// </summary>
public enum IoTarget
{
    /// <summary>Not a read or write, or a target without its own path (directories, /dev/zero, /dev/urandom).</summary>
    Unspecified,

    /// <summary>A UNIX-domain stream socket.</summary>
    Socket,

    /// <summary>A pipe.</summary>
    Pipe,

    /// <summary>/dev/null.</summary>
    NullDevice,

    /// <summary>A regular file (its data in the page cache).</summary>
    RegularFile,

    /// <summary>The standard streams the host provides (a terminal or a redirection on a real system).</summary>
    Terminal,
}
