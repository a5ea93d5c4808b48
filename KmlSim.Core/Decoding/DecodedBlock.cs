namespace KmlSim.Decoding;

/// <summary>
/// A run of decoded instructions starting at one physical address. Execution always enters at the first
/// instruction and leaves at any control transfer, so a block is also the unit of fault recovery: the
/// faulting instruction is the one whose <c>NextIp</c> equals RIP when the fault unwinds.
/// </summary>
internal sealed class DecodedBlock(ulong physicalAddress, DecodedInstruction[] instructions, ulong[] frames)
{
    /// <summary>Physical address of the first instruction.</summary>
    public ulong PhysicalAddress { get; } = physicalAddress;

    /// <summary>The instructions.</summary>
    public DecodedInstruction[] Instructions { get; } = instructions;

    /// <summary>Frames the bytes came from (two when an instruction straddles a page).</summary>
    public ulong[] Frames { get; } = frames;

    /// <summary>False once one of the frames was written: the block must not be entered again.</summary>
    public bool Valid { get; set; } = true;

    // Two remembered successors (a conditional branch has a taken and a fall-through one), so that the
    // run loop can skip the translation and cache lookup between blocks. Valid only within FetchEpoch.
    private DecodedBlock? successor0, successor1;
    private ulong successorIp0, successorIp1;
    private long successorEpoch = -1;

    /// <summary>The remembered block that starts at <paramref name="rip"/>, if still usable.</summary>
    public DecodedBlock? Successor(ulong rip, long epoch)
    {
        if (epoch != successorEpoch)
        {
            return null;
        }

        DecodedBlock? next = rip == successorIp0 ? successor0 : rip == successorIp1 ? successor1 : null;
        return next is { Valid: true } ? next : null;
    }

    /// <summary>Remembers the block that followed this one.</summary>
    public void RememberSuccessor(ulong rip, DecodedBlock next, long epoch)
    {
        if (epoch != successorEpoch)
        {
            successorEpoch = epoch;
            successor0 = successor1 = null;
        }

        successor1 = successor0;
        successorIp1 = successorIp0;
        successor0 = next;
        successorIp0 = rip;
    }
}
