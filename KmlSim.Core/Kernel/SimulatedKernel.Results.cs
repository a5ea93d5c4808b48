using KmlSim.Kernel.Process;
using KmlSim.Kernel.Scheduling;
using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel;

/// <summary>
/// What the kernel reports about the processes of a run: a record per process (an ended process is kept
/// here, since its task is reaped and its slot used again; the instructions up to the switch away from it
/// are still its own) and the system calls by name for the whole run.
/// </summary>
internal sealed partial class SimulatedKernel
{
    private readonly List<GuestProcess> finished = new();
    private readonly Dictionary<long, long> syscallsByNumber = new();

    /// <summary>Every process of the run so far, ended or running, in order of process id.</summary>
    public IReadOnlyList<ProcessResult> ProcessResults()
    {
        ChargeInstructions();
        var results = new List<ProcessResult>();
        foreach (GuestProcess process in finished)
        {
            results.Add(process.ToResult());
        }

        foreach (KernelTask task in tasks)
        {
            if (task == task.Group.Leader && (task.Process.Ending is null || task.ThreadExited))
            {
                results.Add(task.Process.ToResult());
            }
        }

        results.Sort((a, b) => a.Pid.CompareTo(b.Pid));
        return results;
    }

    /// <summary>The system calls every process entered, by name.</summary>
    public IReadOnlyDictionary<string, long> SyscallsByName() => SyscallTable.ByName(syscallsByNumber);

    /// <summary>Counts a system call at its entry (once, however often it sleeps and runs again).</summary>
    private void CountSyscall(KernelTask task, long number)
    {
        task.Process.CountSyscall(number);
        syscallsByNumber[number] = syscallsByNumber.GetValueOrDefault(number) + 1;
    }
}
