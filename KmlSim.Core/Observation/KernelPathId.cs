namespace KmlSim.Observation;

/// <summary>
/// Names the Linux 2.6.11 code path a system call body takes, as the kernel's system call table gives it
/// (one per row), so that a work meter can put figures on a body without knowing call numbers. The figures
/// belong to the meter (KmlSim.Timing maps each identifier to a path); a read or write also depends on what
/// its descriptor refers to (<see cref="IoTarget"/>).
/// </summary>
public enum KernelPathId
{
    /// <summary>No path of its own is estimated: the meter's flat estimate for a body.</summary>
    Unestimated,

    /// <summary>sys_read down to the descriptor's target.</summary>
    Read,

    /// <summary>sys_write down to the descriptor's target.</summary>
    Write,

    /// <summary>sys_lseek through generic_file_llseek.</summary>
    Lseek,

    /// <summary>sys_pread64 reading one page-cache page.</summary>
    Pread64,

    /// <summary>sys_getpid (current-&gt;tgid).</summary>
    Getpid,

    /// <summary>sys_fcntl (F_SETFL, the call the Wisconsin server makes).</summary>
    Fcntl,

    /// <summary>sys_getppid (with its rmb()).</summary>
    Getppid,
}
