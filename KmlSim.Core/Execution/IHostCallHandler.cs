namespace KmlSim.Execution;

/// <summary>
/// The simulated kernel's side of the host-call mechanism (see <see cref="Cpu"/>'s VMCALL handler): the
/// kernel registers the addresses of its host-call instructions and runs the C# work behind each.
/// </summary>
internal interface IHostCallHandler
{
    /// <summary>True when <paramref name="address"/> holds one of the kernel's host-call instructions.</summary>
    bool Owns(ulong address);

    /// <summary>
    /// Runs the host work of the host call at <paramref name="address"/>. RIP already points past the
    /// instruction; the work reads and writes registers and memory through <paramref name="cpu"/>.
    /// </summary>
    void Invoke(Cpu cpu, ulong address);

    /// <summary>
    /// An instruction fetch faulted at <paramref name="address"/> (= RIP): true when the kernel served the
    /// call there without an exception (the legacy vsyscall page's entries, which Linux 2.6.11 ran in user
    /// mode), leaving the registers as after the call returned; false delivers the #PF.
    /// </summary>
    bool ServeFetchFault(Cpu cpu, ulong address);
}
