namespace KmlSim;

/// <summary>How a run of <see cref="Machine"/> ended (the "outcome" of the JSON report).</summary>
public enum RunOutcome
{
    /// <summary>The program called exit or exit_group; see <see cref="RunResult.ExitCode"/>.</summary>
    Exited,
    /// <summary>A signal killed the program (a fault it raised); see <see cref="RunResult.Signal"/>.</summary>
    Signaled,
    /// <summary>
    /// The machine reset after an exception could not be delivered. Part of the report's contract; only
    /// produced once exceptions go through a simulated IDT (the syscall-emulation mode turns them into signals).
    /// </summary>
    TripleFault,
    /// <summary>The instruction limit of the run was reached; <see cref="Machine.Run"/> may be called again to continue.</summary>
    Limit,
    /// <summary>The simulator could not go on (for example simulated memory ran out); see <see cref="RunResult.Message"/>.</summary>
    Error,
}
