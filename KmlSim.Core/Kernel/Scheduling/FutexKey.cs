using KmlSim.Kernel.Process;

namespace KmlSim.Kernel.Scheduling;

/// <summary>
/// What identifies a futex: its address space and the word's user address (Linux's private key; the
/// threads of a process share one <see cref="ProcessMemory"/>, and processes share no writable memory here,
/// so shared futexes get the same key).
/// </summary>
internal readonly record struct FutexKey(ProcessMemory Memory, ulong Address);
