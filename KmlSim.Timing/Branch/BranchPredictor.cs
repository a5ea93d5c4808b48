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
    private readonly ulong[] btbTags;
    private readonly ulong[] btbTargets;
    private readonly ulong[] returnStack;
    private readonly int historyMask;
    private readonly int addressBits;
    private readonly int counterMask;
    private readonly int btbMask;
    private readonly ulong[] windowTags;
    private readonly byte[] windowSlots; // per window, the in-window offsets + 1 of its selected branches (0 = free)
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
        btbTags = new ulong[profile.BtbEntries];
        btbMask = profile.BtbEntries - 1; // a power of two, as the 2048 of the reference
        btbTargets = new ulong[profile.BtbEntries];
        Array.Fill(btbTags, ulong.MaxValue);
        returnStack = new ulong[profile.ReturnStackEntries];
        windowShift = System.Numerics.BitOperations.Log2((uint)profile.BranchWindowBytes);
        windowMask = profile.BranchSelectorWindows - 1; // a power of two, as the reference's 4K
        slotsPerWindow = profile.BranchesPerWindow;
        windowTags = new ulong[profile.BranchSelectorWindows];
        Array.Fill(windowTags, ulong.MaxValue);
        windowSlots = new byte[profile.BranchSelectorWindows * slotsPerWindow];
    }

    /// <summary>
    /// For a taken branch: true when it holds, or now gets, one of its 16-byte window's branch slots; false
    /// when the window's slots already belong to other branches (then the branch cannot be predicted).
    /// </summary>
    public bool Selected(ulong ip)
    {
        ulong window = ip >> windowShift;
        int index = (int)window & windowMask;
        int first = index * slotsPerWindow;
        if (windowTags[index] != window)
        {
            windowTags[index] = window; // the window's selectors were lost (its line left the caches): start afresh
            Array.Clear(windowSlots, first, slotsPerWindow);
        }

        byte offset = (byte)((ip & ((1UL << windowShift) - 1)) + 1);
        for (int slot = first; slot < first + slotsPerWindow; slot++)
        {
            if (windowSlots[slot] == offset)
            {
                return true;
            }

            if (windowSlots[slot] == 0)
            {
                windowSlots[slot] = offset;
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
        int index = (int)ip & btbMask;
        bool hit = btbTags[index] == ip && btbTargets[index] == target;
        btbTags[index] = ip;
        btbTargets[index] = target;
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
}
