namespace KmlSim.Kernel.Process;

/// <summary>What rt_sigaction set for one signal (Linux's struct kernel_sigaction on x86-64).</summary>
/// <param name="Handler">SIG_DFL (0), SIG_IGN (1) or the handler's address.</param>
/// <param name="Flags">SA_* flags.</param>
/// <param name="Restorer">With SA_RESTORER: where the handler returns (the C library's rt_sigreturn stub).</param>
/// <param name="Mask">Signals blocked while the handler runs.</param>
internal readonly record struct SignalAction(ulong Handler, ulong Flags, ulong Restorer, ulong Mask)
{
    /// <summary>SIG_IGN.</summary>
    public const ulong Ignore = 1;

    /// <summary>SA_RESTORER.</summary>
    public const ulong SaRestorer = 0x0400_0000;

    /// <summary>SA_NODEFER: the signal is not blocked in its own handler.</summary>
    public const ulong SaNoDefer = 0x4000_0000;

    /// <summary>SA_RESETHAND: the action reverts to the default once delivered.</summary>
    public const ulong SaResetHand = 0x8000_0000;

    /// <summary>SA_NOCLDWAIT (on SIGCHLD): children that end are not kept as zombies.</summary>
    public const ulong SaNoChildWait = 2;

    /// <summary>SA_ONSTACK: the handler runs on the alternate signal stack when one is set.</summary>
    public const ulong SaOnStack = 0x0800_0000;

    /// <summary>SA_RESTART: a blocking call the handler interrupted restarts instead of failing with EINTR.</summary>
    public const ulong SaRestart = 0x1000_0000;

    /// <summary>SA_SIGINFO (the 3-argument handler; x86-64 always passes the three arguments).</summary>
    public const ulong SaSigInfo = 4;
}
