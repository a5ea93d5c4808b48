namespace KmlSim.Kernel.Files;

/// <summary>
/// Who sleeps until a file object changes state (data arrived, space freed, the other end closed). The
/// file objects never block: an operation that would returns EAGAIN, and the caller sleeps on the
/// object's queue; every state change wakes all sleepers, which retry (Linux's wake_up_interruptible on
/// a pipe's wait queue, and the retry loop in pipe_read/pipe_write). The scheduler adds a waker that makes
/// a task runnable; poll adds one per polled object.
/// </summary>
internal sealed class FileWaitQueue
{
    private readonly List<Action> sleepers = [];

    /// <summary>True when nobody is waiting.</summary>
    public bool IsEmpty => sleepers.Count == 0;

    /// <summary>Adds a sleeper; it is called once, at the next state change, and then removed.</summary>
    public void Add(Action wake) => sleepers.Add(wake);

    /// <summary>Removes a sleeper that stopped waiting for another reason (a timeout, a signal, another polled file).</summary>
    public void Remove(Action wake) => sleepers.Remove(wake);

    /// <summary>Wakes every sleeper (each re-checks its condition).</summary>
    public void WakeAll()
    {
        if (sleepers.Count == 0)
        {
            return;
        }

        Action[] woken = [.. sleepers];
        sleepers.Clear();
        foreach (Action wake in woken)
        {
            wake();
        }
    }
}
