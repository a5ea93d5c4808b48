using KmlSim.Execution;

namespace KmlSim.Interrupts;

/// <summary>
/// The local APIC timer in periodic mode, reduced to what a kernel uses: a vector and a period in ticks of
/// <see cref="Clock"/>. Each expiry makes the vector pending; the CPU takes it at an instruction boundary
/// when RFLAGS.IF = 1 (expiries that pass while the interrupt is still pending merge into one, as the
/// APIC's single request bit per vector does).
/// </summary>
public sealed class LocalTimer
{
    private readonly Cpu cpu;
    private ITimerClock clock;

    internal LocalTimer(Cpu cpu)
    {
        this.cpu = cpu;
        clock = new InstructionClock(cpu);
    }

    /// <summary>True while the timer runs.</summary>
    public bool Enabled { get; private set; }

    /// <summary>The interrupt vector the kernel programmed.</summary>
    public byte Vector { get; private set; }

    /// <summary>The period in clock ticks.</summary>
    public long Period { get; private set; }

    /// <summary>The clock time of the next expiry.</summary>
    public long NextExpiry { get; private set; }

    /// <summary>Expiries so far.</summary>
    public long Expiries { get; private set; }

    /// <summary>The time base (functional: <see cref="InstructionClock"/>). Swapping it restarts a running timer.</summary>
    public ITimerClock Clock
    {
        get => clock;
        set
        {
            clock = value;
            if (Enabled)
            {
                Start(Vector, Period);
            }
        }
    }

    /// <summary>Starts (or reprograms) the timer: the first expiry is one period from now.</summary>
    public void Start(byte vector, long period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(vector, (byte)32); // vectors 0-31 are reserved for exceptions
        Vector = vector;
        Period = period;
        NextExpiry = clock.Now + period;
        Enabled = true;
        cpu.ScheduleEventCheck();
    }

    /// <summary>Stops the timer (an interrupt already pending stays pending).</summary>
    public void Stop()
    {
        Enabled = false;
        cpu.ScheduleEventCheck();
    }

    /// <summary>Counts the expiries up to now; true when at least one occurred.</summary>
    internal bool Poll()
    {
        long now = clock.Now;
        if (!Enabled || now < NextExpiry)
        {
            return false;
        }

        long missed = (now - NextExpiry) / Period;
        Expiries += missed + 1;
        NextExpiry += (missed + 1) * Period;
        return true;
    }

    /// <summary>
    /// Called by a clock that reports deadlines itself (its <see cref="ITimerClock.InstructionsBefore"/>
    /// answered <see cref="long.MaxValue"/>) once its time reaches the deadline it was last given: the CPU
    /// looks at events after the current instruction.
    /// </summary>
    public void DeadlineReached() => cpu.ScheduleEventCheck();

    /// <summary>Instructions that may retire before the next expiry (long.MaxValue when stopped).</summary>
    internal long InstructionsToExpiry() => Enabled ? clock.InstructionsBefore(NextExpiry) : long.MaxValue;

    /// <summary>A halted CPU lets time pass up to the next expiry.</summary>
    internal void IdleToExpiry() => clock.IdleUntil(NextExpiry);
}
