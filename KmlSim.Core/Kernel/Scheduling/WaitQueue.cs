namespace KmlSim.Kernel.Scheduling;

/// <summary>
/// A Linux-style wait queue: the tasks sleeping until some object (a pipe, a socket, a child, a futex)
/// changes. The contract for system call bodies, since a C# body cannot itself stop half-way:
/// <list type="number">
/// <item>A body that cannot make progress calls <c>queue.Add(task)</c> and returns
/// <see cref="RestartSyscall"/> without changing any state. The kernel then blocks the task and runs
/// another one; the blocked task's system call is not finished (like Linux's -ERESTARTSYS).</item>
/// <item>Whoever changes the object calls <see cref="WakeAll"/> (or <see cref="WakeOne"/>); each woken task
/// executes the same system call again from its start, and either completes or sleeps again.</item>
/// </list>
/// A waiter is removed from the queue when it is woken; a task that dies while asleep is removed with
/// <see cref="Remove"/>.
/// </summary>
internal sealed class WaitQueue
{
    /// <summary>The value a body returns to say "block me on the queue I joined and run me again later".</summary>
    public const long RestartSyscall = long.MinValue;

    private readonly List<IWaiter> waiters = new();

    /// <summary>True when nobody sleeps here.</summary>
    public bool IsEmpty => waiters.Count == 0;

    /// <summary>Adds a waiter (once: adding a present waiter again does nothing).</summary>
    public void Add(IWaiter waiter)
    {
        if (!waiters.Contains(waiter))
        {
            waiters.Add(waiter);
        }
    }

    /// <summary>Removes a waiter that no longer waits (it died or was interrupted by a signal).</summary>
    public void Remove(IWaiter waiter) => waiters.Remove(waiter);

    /// <summary>Wakes every waiter, in the order they slept; returns how many.</summary>
    public int WakeAll()
    {
        if (waiters.Count == 0)
        {
            return 0;
        }

        IWaiter[] woken = waiters.ToArray(); // a woken waiter may sleep here again while we iterate
        waiters.Clear();
        foreach (IWaiter waiter in woken)
        {
            waiter.Wake();
        }

        return woken.Length;
    }

    /// <summary>Wakes the longest sleeper; false when nobody sleeps.</summary>
    public bool WakeOne()
    {
        if (waiters.Count == 0)
        {
            return false;
        }

        IWaiter first = waiters[0];
        waiters.RemoveAt(0);
        first.Wake();
        return true;
    }
}
