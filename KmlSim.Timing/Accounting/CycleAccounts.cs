using System.Runtime.CompilerServices;
using Iced.Intel;
using KmlSim.Observation;

namespace KmlSim.Timing.Accounting;

/// <summary>
/// Cycles attributed at retirement: each instruction gets retire(i) - retire(i-1), so the user and system
/// sums add up to the total exactly. User vs system follows the instruction's address (kernel half =
/// system), so a ring-0 KML process's own code stays user time. The same cycles are also split by
/// accounting region and by cause (<see cref="CycleCauses"/>), both from the instruction's kind and address
/// (the kernel declares its code ranges), and per system call: a call's span runs from the user instruction
/// that entered the kernel up to the next user instruction, and is attributed to the call whose body the
/// kernel announced in it.
/// </summary>
public sealed class CycleAccounts
{
    private const ulong KernelHalf = 0xFFFF_8000_0000_0000;
    private const int MaxRanges = 16;
    private static readonly int CauseCount = Enum.GetValues<Cause>().Length;
    private readonly long[] regions = new long[Enum.GetValues<AccountingRegion>().Length];
    private readonly long[] causes = new long[CauseCount];
    private readonly ulong[] rangeStart = new ulong[MaxRanges];
    private readonly ulong[] rangeEnd = new ulong[MaxRanges];
    private readonly AccountingRegion[] rangeRegion = new AccountingRegion[MaxRanges];
    private readonly long[] span = new long[CauseCount];
    private readonly long[] instructions = new long[CauseCount];
    private readonly long[] spanInstructions = new long[CauseCount];
    private readonly SortedDictionary<long, PerSyscall> perSyscall = [];
    private int ranges;
    private bool inSpan;
    private SyscallIdentity? spanSyscall;
    private SyscallIdentity? bodySyscall;
    private long user; // user cycles charged by the full path
    private long fastUserCycles; // user cycles and instructions of the common case, folded into the figures when they are read
    private long fastUserInstructions;

    /// <summary>The causes, in <see cref="CycleCauses.All"/> order.</summary>
    private enum Cause
    {
        User,
        SyscallInstruction,
        Sysret,
        Swapgs,
        Iretq,
        EntryExit,
        SyscallBody,
        Interrupt,
        KernelOther,
        Idle,
    }

    /// <summary>The region kernel-half code outside the declared ranges is charged to, and the region of metered copies.</summary>
    public AccountingRegion KernelRegion { get; set; } = AccountingRegion.Kernel;

    /// <summary>User cycles.</summary>
    public long User => user + fastUserCycles;

    /// <summary>System cycles.</summary>
    public long System { get; private set; }

    /// <summary>User + system.</summary>
    public long Total => User + System;

    /// <summary>Declares a kernel code range (a later range overrides an earlier one where they overlap).</summary>
    /// <exception cref="InvalidOperationException">More than 16 ranges.</exception>
    public void MapCode(ulong start, long length, AccountingRegion region)
    {
        if (ranges == MaxRanges)
        {
            throw new InvalidOperationException($"at most {MaxRanges} kernel code ranges can be declared");
        }

        rangeStart[ranges] = start;
        rangeEnd[ranges] = start + (ulong)Math.Max(length, 0);
        rangeRegion[ranges] = region;
        ranges++;
    }

    /// <summary>Charges the cycles of a retired instruction or event delivery.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Retired(in RetiredInstruction r, long cycles)
    {
        if (!inSpan && (r.Ip | r.NextIp) < KernelHalf && !r.IsEvent && r.Code != Code.Syscall)
        {
            // The common case, two additions inlined into the caller: user code that neither ends nor begins
            // a system call's span (its region and cause are User).
            fastUserCycles += cycles;
            fastUserInstructions++;
            return;
        }

        Classify(in r, cycles);
    }

    /// <summary>Every other instruction and event: by kind, address and span.</summary>
    private void Classify(in RetiredInstruction r, long cycles)
    {
        Cause cause;
        if (r.IsEvent)
        {
            // Delivery is kernel work whatever was interrupted.
            System += cycles;
            regions[(int)AccountingRegion.Interrupt] += cycles;
            cause = Cause.Interrupt;
        }
        else if (r.Ip < KernelHalf)
        {
            if (inSpan)
            {
                CloseSpan(); // back in user code: the system call (or interrupt) that entered the kernel is over
            }

            user += cycles;
            regions[(int)AccountingRegion.User] += cycles;
            cause = r.Code == Code.Syscall ? Cause.SyscallInstruction : Cause.User;
            if (r.NextIp >= KernelHalf)
            {
                inSpan = true; // SYSCALL, or a KML process's call to the direct entry: a system call begins here
            }
        }
        else
        {
            AccountingRegion region = RegionOf(r.Ip);
            System += cycles;
            regions[(int)region] += cycles;
            cause = r.Code switch
            {
                Code.Sysretd or Code.Sysretq => Cause.Sysret,
                Code.Swapgs => Cause.Swapgs,
                Code.Iretq or Code.Iretd or Code.Iretw => Cause.Iretq,
                _ => CauseOf(region),
            };
        }

        causes[(int)cause] += cycles;
        instructions[(int)cause]++;
        if (inSpan)
        {
            span[(int)cause] += cycles;
            spanInstructions[(int)cause]++;
        }
    }

    /// <summary>The body of system call <paramref name="call"/> starts: the open span and the following kernel work and copies belong to it.</summary>
    public void BeginSyscall(SyscallIdentity call)
    {
        bodySyscall = call;
        KernelRegion = AccountingRegion.SyscallBody; // (a restarted body runs from inside the scheduler)
        if (inSpan && spanSyscall is null)
        {
            spanSyscall = call;
        }
    }

    /// <summary>Charges the kernel work of a completed system call body and counts the call.</summary>
    public void ChargeBody(SyscallIdentity call, long cycles)
    {
        System += cycles;
        regions[(int)AccountingRegion.SyscallBody] += cycles;
        causes[(int)Cause.SyscallBody] += cycles;
        PerSyscall figures = Call(call);
        figures.Count++;
        figures.Causes[(int)Cause.SyscallBody] += cycles;
    }

    /// <summary>Charges a metered user copy to the region the kernel is in (a body's copy belongs to its call, any other to the open span).</summary>
    public void ChargeCopy(long cycles)
    {
        AccountingRegion region = KernelRegion is AccountingRegion.Interrupt or AccountingRegion.Scheduler ? KernelRegion : AccountingRegion.SyscallBody;
        Cause cause = CauseOf(region);
        System += cycles;
        regions[(int)region] += cycles;
        causes[(int)cause] += cycles;
        if (region == AccountingRegion.SyscallBody && bodySyscall is { } body)
        {
            Call(body).Causes[(int)cause] += cycles;
        }
        else if (inSpan)
        {
            span[(int)cause] += cycles; // e.g. a signal frame written on the way back from the call
        }
    }

    /// <summary>Charges user-mode work done on the host (a vsyscall entry) as user cycles.</summary>
    public void ChargeUser(long cycles)
    {
        user += cycles;
        regions[(int)AccountingRegion.User] += cycles;
        causes[(int)Cause.User] += cycles;
    }

    /// <summary>Charges halted cycles (not part of <see cref="Total"/>; a sleep inside a system call is part of that call's span).</summary>
    public void ChargeIdle(long cycles)
    {
        causes[(int)Cause.Idle] += cycles;
        if (inSpan)
        {
            span[(int)Cause.Idle] += cycles;
        }
    }

    /// <summary>Cycles per region, by name.</summary>
    public Dictionary<string, long> Regions()
    {
        var result = new Dictionary<string, long>();
        foreach (AccountingRegion r in Enum.GetValues<AccountingRegion>())
        {
            result[r.ToString()] = regions[(int)r] + (r == AccountingRegion.User ? fastUserCycles : 0);
        }

        return result;
    }

    /// <summary>Cycles by cause, keyed by <see cref="CycleCauses"/>.</summary>
    public Dictionary<string, long> Breakdown() => ByKey(WithFastUser(causes, fastUserCycles));

    /// <summary>Instructions by cause, keyed by <see cref="CycleCauses"/>.</summary>
    public Dictionary<string, long> InstructionBreakdown() => ByKey(WithFastUser(instructions, fastUserInstructions));

    /// <summary>Per system call, by name. A span still open (the run stopped inside the kernel) is included.</summary>
    public Dictionary<string, SyscallCycles> Syscalls()
    {
        var result = new Dictionary<string, SyscallCycles>();
        foreach (PerSyscall call in perSyscall.Values)
        {
            var total = (long[])call.Causes.Clone();
            var retired = (long[])call.Instructions.Clone();
            if (inSpan && spanSyscall?.Number == call.Identity.Number)
            {
                Add(total, span);
                Add(retired, spanInstructions);
            }

            result[call.Identity.Name] = new SyscallCycles { Count = call.Count, Cycles = total.Sum(), Breakdown = ByKey(total), Instructions = ByKey(retired) };
        }

        return result;
    }

    private static long[] WithFastUser(long[] byCause, long fast)
    {
        var result = (long[])byCause.Clone();
        result[(int)Cause.User] += fast;
        return result;
    }

    private static void Add(long[] sum, long[] values)
    {
        for (int i = 0; i < sum.Length; i++)
        {
            sum[i] += values[i];
        }
    }

    private static Dictionary<string, long> ByKey(long[] values)
    {
        var result = new Dictionary<string, long>();
        for (int i = 0; i < values.Length; i++)
        {
            result[CycleCauses.All[i]] = values[i];
        }

        return result;
    }

    private static Cause CauseOf(AccountingRegion region) => region switch
    {
        AccountingRegion.SyscallEntryExit => Cause.EntryExit,
        AccountingRegion.SyscallBody => Cause.SyscallBody,
        AccountingRegion.Interrupt or AccountingRegion.Scheduler => Cause.Interrupt,
        AccountingRegion.User => Cause.User,
        _ => Cause.KernelOther,
    };

    private AccountingRegion RegionOf(ulong ip)
    {
        for (int i = ranges - 1; i >= 0; i--)
        {
            if (ip >= rangeStart[i] && ip < rangeEnd[i])
            {
                return rangeRegion[i];
            }
        }

        return KernelRegion;
    }

    private void CloseSpan()
    {
        if (spanSyscall is { } call)
        {
            PerSyscall figures = Call(call);
            Add(figures.Causes, span);
            Add(figures.Instructions, spanInstructions);
        }

        Array.Clear(span);
        Array.Clear(spanInstructions);
        inSpan = false;
        spanSyscall = null;
        bodySyscall = null;
    }

    private PerSyscall Call(SyscallIdentity identity)
    {
        if (!perSyscall.TryGetValue(identity.Number, out PerSyscall? call))
        {
            call = new PerSyscall(identity, CauseCount);
            perSyscall[identity.Number] = call;
        }

        return call;
    }

    /// <summary>One system call's count, and its cycles and instructions by cause (kept in number order).</summary>
    private sealed class PerSyscall(SyscallIdentity identity, int causes)
    {
        public SyscallIdentity Identity { get; } = identity;

        public long Count;

        public long[] Causes { get; } = new long[causes];

        public long[] Instructions { get; } = new long[causes];
    }
}
