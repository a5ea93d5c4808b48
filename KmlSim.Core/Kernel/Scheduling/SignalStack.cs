namespace KmlSim.Kernel.Scheduling;

/// <summary>An alternate signal stack set with sigaltstack (Linux's sas_ss_sp and sas_ss_size); default: none.</summary>
/// <param name="Base">The lowest address (ss_sp).</param>
/// <param name="Size">Its size in bytes (ss_size); 0 when disabled.</param>
internal readonly record struct SignalStack(ulong Base, ulong Size)
{
    /// <summary>True when an alternate stack is set.</summary>
    public bool Enabled => Size != 0;

    /// <summary>True when <paramref name="rsp"/> lies on the stack (Linux's on_sig_stack: base &lt; rsp &lt;= base + size).</summary>
    public bool Contains(ulong rsp) => Enabled && rsp > Base && rsp - Base <= Size;
}
