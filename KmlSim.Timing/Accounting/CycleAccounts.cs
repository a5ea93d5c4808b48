using KmlSim.Observation;
namespace KmlSim.Timing.Accounting;

/// <summary>
/// Cycles attributed at retirement: each instruction gets retire(i) - retire(i-1), so the user and system
/// sums add up to the total exactly. User vs system follows the instruction's address (kernel half =
/// system), so a ring-0 KML process's own code stays user time.
/// </summary>
public sealed class CycleAccounts
{
    private const ulong KernelHalf = 0xFFFF_8000_0000_0000;
    private readonly long[] regions = new long[Enum.GetValues<AccountingRegion>().Length];
    private readonly Dictionary<int, long> perSyscall = [];

    /// <summary>The region kernel-half code is charged to.</summary>
    public AccountingRegion KernelRegion { get; set; } = AccountingRegion.Kernel;

    /// <summary>User cycles.</summary>
    public long User { get; private set; }

    /// <summary>System cycles.</summary>
    public long System { get; private set; }

    /// <summary>User + system.</summary>
    public long Total => User + System;

    /// <summary>Charges cycles of an instruction at <paramref name="ip"/>: user half = user time, kernel half = system time in <see cref="KernelRegion"/>.</summary>
    public void Charge(ulong ip, long cycles)
    {
        if (ip < KernelHalf)
        {
            User += cycles;
            regions[(int)AccountingRegion.User] += cycles;
        }
        else
        {
            ChargeSystem(KernelRegion, cycles);
        }
    }

    /// <summary>Charges system cycles to a region (event deliveries, metered kernel work).</summary>
    public void ChargeSystem(AccountingRegion region, long cycles)
    {
        System += cycles;
        regions[(int)region] += cycles;
    }

    /// <summary>Charges kernel work of a system call body.</summary>
    public void ChargeSyscall(int number, long cycles)
    {
        ChargeSystem(AccountingRegion.SyscallBody, cycles);
        perSyscall[number] = perSyscall.GetValueOrDefault(number) + cycles;
    }

    /// <summary>Cycles per region, by name.</summary>
    public Dictionary<string, long> Regions()
    {
        var result = new Dictionary<string, long>();
        foreach (AccountingRegion r in Enum.GetValues<AccountingRegion>())
        {
            result[r.ToString()] = regions[(int)r];
        }

        foreach (var (number, cycles) in perSyscall)
        {
            result[$"syscall{number}"] = cycles;
        }

        return result;
    }
}
