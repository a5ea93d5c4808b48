namespace KmlSim.Execution;

/// <summary>Why <see cref="Cpu.Run"/> returned.</summary>
public enum StopReason
{
    /// <summary>The instruction budget of the call was used up.</summary>
    InstructionLimit,
    /// <summary>A SYSCALL was executed while <see cref="Cpu.SyscallExits"/> is set; RIP is past it.</summary>
    Syscall,
    /// <summary>HLT was executed and nothing can wake the CPU (IF = 0, or no timer and no injected interrupt).</summary>
    Halted,
    /// <summary>An exception was raised that no IDT delivered; see <see cref="Cpu.LastFault"/>. RIP is the faulting instruction.</summary>
    Fault,
    /// <summary>
    /// An exception occurred while the processor delivered a double fault: a real machine shuts down and
    /// resets. <see cref="Cpu.LastTripleFault"/> describes the state; nothing more can run from it.
    /// </summary>
    TripleFault,
    /// <summary>The host asked the CPU to stop (<see cref="Cpu.RequestStop"/>).</summary>
    StopRequested,
}
