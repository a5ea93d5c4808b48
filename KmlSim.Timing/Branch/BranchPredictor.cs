using KmlSim.Timing.Profiles;

namespace KmlSim.Timing.Branch;

/// <summary>
/// The K8 predictor (reference §1, [AMD-25112] §A.6): conditional directions from 2-bit counters indexed by
/// the outcomes of the last 8 conditional branches and 4 address bits (plus 2 further address bits to reach
/// the 16K counters: estimate); targets of taken branches, direct and indirect, from a 2048-entry BTB
/// (direct-mapped by IP: estimate); returns from a 12-entry circular return stack that wraps and loses the
/// oldest entries when calls nest deeper. Far transfers are never predicted (the caller charges them).
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
