namespace KmlSim.Kernel.Process;

/// <summary>Why the syscall-emulation runner returned.</summary>
/// <param name="Outcome">Exited, signaled or limit.</param>
/// <param name="Signal">The fatal signal, when signaled.</param>
/// <param name="Message">What happened, when the process did not simply exit.</param>
internal readonly record struct ProcessStop(RunOutcome Outcome, int? Signal = null, string? Message = null);
