namespace KmlSim.Kernel.Files;

/// <summary>poll(2) event bits (asm-generic/poll.h).</summary>
[Flags]
internal enum PollEvents : short
{
    /// <summary>No event.</summary>
    None = 0,
    /// <summary>POLLIN: a read would not block.</summary>
    In = 0x1,
    /// <summary>POLLPRI: urgent data (never raised here).</summary>
    Priority = 0x2,
    /// <summary>POLLOUT: a write would not block.</summary>
    Out = 0x4,
    /// <summary>POLLERR: the read end of a pipe is gone (for a writer).</summary>
    Error = 0x8,
    /// <summary>POLLHUP: the other end is gone.</summary>
    HangUp = 0x10,
    /// <summary>POLLNVAL: the descriptor is not open.</summary>
    Invalid = 0x20,
}
