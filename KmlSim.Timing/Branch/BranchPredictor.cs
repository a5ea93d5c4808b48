using KmlSim.Timing.Profiles;

namespace KmlSim.Timing.Branch;

/// <summary>
/// The K8 predictor (reference §1, [AMD-25112] §A.6): conditional directions from 2-bit counters indexed by
/// the outcomes of the last 8 conditional branches and 4 address bits (plus 2 further address bits to reach
/// the 16K counters: estimate); targets of taken branches, direct and indirect, from a 2048-entry BTB
/// (direct-mapped by IP: estimate); returns from a 12-entry circular return stack that wraps and loses the
/// oldest entries when calls nest deeper. Far transfers are never predicted (the caller charges them).
/// Branch density: a 16-byte window holds at most 3 predicted branches ([AMD-25112] §6, reference §1); the
/// window's slots (the branch selectors, 4K of them: one per 16 bytes of the 64 KB L1I) go to its first 3
/// branches that are taken (a branch is assumed not-taken until taken once), and a further taken branch in
/// the window cannot be predicted.
/// </summary>
public sealed class BranchPredictor
{
    private readonly byte[] counters;
    private readonly BtbEntry[] btb;
    private readonly ulong[] returnStack;
    private readonly int historyMask;
    private readonly int addressBits;
    private readonly int counterMask;
    private readonly int btbMask;
    private readonly SelectorWindow[] windows;
    private readonly int windowShift;
    private readonly int windowMask;
    private readonly int slotsPerWindow;
    private int history;
    private int returnTop;
    private int returnDepth;

    /// <summary>Creates the predictor of a profile (counters start weakly not-taken: "assumed not-taken until taken once").</summary>
    public BranchPredictor(CpuProfile profile)
    {
        counters = new byte[profile.PredictorCounters];
        Array.Fill(counters, (byte)1);
        counterMask = profile.PredictorCounters - 1;
        historyMask = (1 << profile.GlobalHistoryBits) - 1;
        addressBits = System.Numerics.BitOperations.Log2((uint)profile.PredictorCounters) - profile.GlobalHistoryBits;
        btb = new BtbEntry[profile.BtbEntries];
        btbMask = profile.BtbEntries - 1; // a power of two, as the 2048 of the reference
        Array.Fill(btb, new BtbEntry { Tag = ulong.MaxValue });
        returnStack = new ulong[profile.ReturnStackEntries];
        windowShift = System.Numerics.BitOperations.Log2((uint)profile.BranchWindowBytes);
        windowMask = profile.BranchSelectorWindows - 1; // a power of two, as the reference's 4K
        slotsPerWindow = profile.BranchesPerWindow;
        if (slotsPerWindow is < 1 or > sizeof(ulong))
        {
            throw new ArgumentException($"BranchesPerWindow must be 1 to {sizeof(ulong)} (one byte per slot)", nameof(profile));
        }

        windows = new SelectorWindow[profile.BranchSelectorWindows];
        Array.Fill(windows, new SelectorWindow { Tag = ulong.MaxValue });
    }

    /// <summary>
    /// For a taken branch: true when it holds, or now gets, one of its 16-byte window's branch slots; false
    /// when the window's slots already belong to other branches (then the branch cannot be predicted).
    /// </summary>
    public bool Selected(ulong ip)
    {
        ulong tag = ip >> windowShift;
        ref SelectorWindow window = ref windows[(int)tag & windowMask];
        if (window.Tag != tag)
        {
            window = new SelectorWindow { Tag = tag }; // the window's selectors were lost (its line left the caches): start afresh
        }

        ulong offset = (ip & ((1UL << windowShift) - 1)) + 1;
        for (int slot = 0; slot < slotsPerWindow; slot++)
        {
            int shift = slot * 8;
            ulong held = (window.Offsets >> shift) & 0xFF;
            if (held == offset)
            {
                return true;
            }

            if (held == 0)
            {
                window.Offsets |= offset << shift;
                return true;
            }
        }

        return false;
    }

    /// <summary>Predicts and trains a conditional branch; true when the direction was predicted correctly.</summary>
    public bool Conditional(ulong ip, bool taken)
    {
        int index = ((history << addressBits) | (int)(ip & ((1UL << addressBits) - 1))) & counterMask;
        ref byte counter = ref counters[index];
        bool predicted = counter >= 2;
        if (taken && counter < 3)
        {
            counter++;
        }
        else if (!taken && counter > 0)
        {
            counter--;
        }

        history = ((history << 1) | (taken ? 1 : 0)) & historyMask;
        return predicted == taken;
    }

    /// <summary>Looks up and trains the BTB for a taken branch; true when it held the right target.</summary>
    public bool Target(ulong ip, ulong target)
    {
        ref BtbEntry entry = ref btb[(int)ip & btbMask];
        bool hit = entry.Tag == ip && entry.Target == target;
        entry = new BtbEntry { Tag = ip, Target = target };
        return hit;
    }

    /// <summary>A call pushes its return address.</summary>
    public void Call(ulong returnAddress)
    {
        returnTop = (returnTop + 1) % returnStack.Length;
        returnStack[returnTop] = returnAddress;
        returnDepth = Math.Min(returnDepth + 1, returnStack.Length);
    }

    /// <summary>A return pops the stack; true when the popped address was the actual target.</summary>
    public bool Return(ulong target)
    {
        if (returnDepth == 0)
        {
            return false;
        }

        bool hit = returnStack[returnTop] == target;
        returnTop = (returnTop + returnStack.Length - 1) % returnStack.Length;
        returnDepth--;
        return hit;
    }

    /// <summary>A BTB entry: the branch's address and its last target, in one host cache line.</summary>
    private struct BtbEntry
    {
        public ulong Tag;
        public ulong Target;
    }

    /// <summary>A 16-byte window's branch selectors: its number and, one byte per slot, the in-window offset + 1 of each selected branch (0 = free).</summary>
    private struct SelectorWindow
    {
        public ulong Tag;
        public ulong Offsets;
    }
}
