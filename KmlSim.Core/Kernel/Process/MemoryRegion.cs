namespace KmlSim.Kernel.Process;

/// <summary>A page-aligned range of the process's address space with one protection (Linux's VMA).</summary>
/// <param name="Start">First address (page-aligned).</param>
/// <param name="End">First address after the region (page-aligned).</param>
/// <param name="Protection">Access rights.</param>
internal readonly record struct MemoryRegion(ulong Start, ulong End, Protection Protection);
