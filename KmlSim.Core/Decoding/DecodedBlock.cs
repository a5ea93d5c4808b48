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
}
