using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel;

/// <summary>
/// The CPU a thread runs on: the machine has one (CPU 0), so every affinity mask is {0}: sched_getaffinity
/// reports it (8 bytes, one unsigned long, as Linux's cpumask_size() with one CPU), sched_setaffinity accepts
/// any mask that holds CPU 0 (EINVAL otherwise: no CPU left to run on), getcpu answers CPU 0 on node 0.
/// </summary>
internal sealed partial class SimulatedKernel
{
    private const int CpuMaskBytes = 8;

    /// <summary>sched_getaffinity(pid, len, mask): returns the bytes written.</summary>
    internal long GetAffinity(KernelTask task, int tid, ulong length, ulong mask)
    {
        if (length < CpuMaskBytes || (length & (CpuMaskBytes - 1)) != 0)
        {
            return -Errno.EINVAL;
        }

        if (!IsThread(task, tid))
        {
            return -Errno.ESRCH;
        }

        return task.Process.User.TryWrite64(mask, 1) ? CpuMaskBytes : -Errno.EFAULT;
    }

    /// <summary>sched_setaffinity(pid, len, mask).</summary>
    internal long SetAffinity(KernelTask task, int tid, ulong length, ulong mask)
    {
        if (!IsThread(task, tid))
        {
            return -Errno.ESRCH;
        }

        Span<byte> first = stackalloc byte[1];
        if (length == 0 || !task.Process.User.TryRead(mask, first))
        {
            return length == 0 ? -Errno.EINVAL : -Errno.EFAULT;
        }

        return (first[0] & 1) != 0 ? 0 : -Errno.EINVAL;
    }

    /// <summary>getcpu(cpu, node, cache): CPU 0, node 0.</summary>
    internal static long GetCpu(KernelTask task, ulong cpu, ulong node)
    {
        bool ok = (cpu == 0 || task.Process.User.TryWrite32(cpu, 0)) && (node == 0 || task.Process.User.TryWrite32(node, 0));
        return ok ? 0 : -Errno.EFAULT;
    }

    /// <summary>True when <paramref name="tid"/> is 0 (the caller) or a live thread.</summary>
    private bool IsThread(KernelTask caller, int tid) =>
        tid == 0 || tid == caller.Process.Tid || tasks.Exists(t => t.Process.Tid == tid && !t.ThreadExited && t.State is TaskState.Runnable or TaskState.Sleeping);
}
