using System.Buffers.Binary;

namespace KmlSim.Kernel.Process;

/// <summary>
/// The siginfo of a pending signal (x86-64 layout: si_signo, si_errno, si_code at 0, 4, 8; from 16 the
/// union: si_pid, si_uid; for SIGCHLD also si_status at 24 and si_utime, si_stime at 32 and 40; for a
/// fault's signal si_addr at 16 instead).
/// </summary>
/// <param name="Code">si_code: SI_USER (0), SI_TKILL (-6), SI_KERNEL (0x80), CLD_EXITED (1), CLD_KILLED (2).</param>
/// <param name="Pid">The sender (for SIGCHLD: the child).</param>
/// <param name="Status">SIGCHLD: the exit code or the killing signal.</param>
/// <param name="UserTicks">SIGCHLD: the child's user time in USER_HZ ticks.</param>
/// <param name="SystemTicks">SIGCHLD: the child's system time in USER_HZ ticks.</param>
/// <param name="FaultAddress">si_addr of a signal an exception raised (<see cref="Fault"/>); null for signals that were sent.</param>
internal readonly record struct SignalInfo(int Code, int Pid, int Status = 0, long UserTicks = 0, long SystemTicks = 0, ulong? FaultAddress = null)
{
    /// <summary>SIGCHLD.</summary>
    public const int ChildSignal = 17;

    /// <summary>si_code of kill().</summary>
    public const int User = 0;

    /// <summary>si_code of tkill() and tgkill().</summary>
    public const int Tkill = -6;

    /// <summary>si_code of a signal the kernel sends (the host's Ctrl-C).</summary>
    public const int Kernel = 0x80;

    /// <summary>si_code of SIGCHLD for a child that exited.</summary>
    public const int ChildExited = 1;

    /// <summary>si_code of SIGCHLD for a child a signal killed.</summary>
    public const int ChildKilled = 2;

    /// <summary>The siginfo of a signal an exception raised: si_code and si_addr, no sender.</summary>
    public static SignalInfo Fault(int code, ulong address) => new(code, 0, FaultAddress: address);

    /// <summary>Writes the 128-byte siginfo of <paramref name="signal"/> (the rest zero).</summary>
    public void Write(Span<byte> info, int signal)
    {
        info[..128].Clear();
        BinaryPrimitives.WriteInt32LittleEndian(info, signal);
        BinaryPrimitives.WriteInt32LittleEndian(info[8..], Code);
        if (FaultAddress is { } address)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(info[16..], address);
            return;
        }

        BinaryPrimitives.WriteInt32LittleEndian(info[16..], Pid);
        BinaryPrimitives.WriteInt32LittleEndian(info[20..], Pid == 0 ? 0 : ProcessIdentity.UserId);
        if (signal == ChildSignal)
        {
            BinaryPrimitives.WriteInt32LittleEndian(info[24..], Status);
            BinaryPrimitives.WriteInt64LittleEndian(info[32..], UserTicks);
            BinaryPrimitives.WriteInt64LittleEndian(info[40..], SystemTicks);
        }
    }
}
