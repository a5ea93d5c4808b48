namespace KmlSim.Kernel.Scheduling;

/// <summary>
/// What happens to a blocking system call that a signal handler interrupted (Linux's -ERESTART* codes,
/// arch/x86_64/kernel/signal.c handle_signal).
/// </summary>
internal enum SyscallRestart
{
    /// <summary>No call was interrupted.</summary>
    None,

    /// <summary>-ERESTARTSYS (read, write, wait4, ...): restarted when the handler has SA_RESTART, else EINTR.</summary>
    WithSaRestart,

    /// <summary>-ERESTARTNOHAND / -ERESTART_RESTARTBLOCK (poll, select, nanosleep, pause, sigsuspend): EINTR after any handler.</summary>
    Never,
}
