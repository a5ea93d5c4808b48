using Iced.Intel;
using KmlSim.Memory;

namespace KmlSim.Decoding;

/// <summary>
/// Decoded blocks keyed by physical address. A direct-mapped array answers the common case in one
/// compare; a dictionary holds every live block; a per-frame index finds the blocks to drop when a frame
/// holding code is written (self-modifying code, the loader, a freed and reused frame).
/// </summary>
internal sealed class DecodeCache
{
    private const int FastBits = 14;
    private const int MaxBlockLength = 64;

    private readonly DecodedBlock?[] fast = new DecodedBlock?[1 << FastBits];
    private readonly Dictionary<ulong, DecodedBlock> blocks = new();
    private readonly Dictionary<ulong, List<DecodedBlock>> byFrame = new();
    private readonly Mmu mmu;
    private readonly InstructionTranslator translator;
    private readonly byte[] window = new byte[PhysicalMemory.FrameSize + 16];

    public DecodeCache(Mmu mmu, InstructionTranslator translator)
    {
        this.mmu = mmu;
        this.translator = translator;
        mmu.Memory.CodeFrameWritten += Invalidate;
    }

    /// <summary>Raised after blocks were dropped, so the CPU leaves the block it is executing.</summary>
    public event Action? Invalidated;

    /// <summary>Blocks decoded so far (statistics).</summary>
    public long BlocksDecoded { get; private set; }

    /// <summary>Returns the block at a linear address, decoding it on first use.</summary>
    /// <exception cref="Interrupts.GuestFaultException">The fetch faults.</exception>
    public DecodedBlock Get(ulong linear)
    {
        byte[] page = mmu.FetchPage(linear, out ulong pfn);
        ulong pa = (pfn << 12) | (linear & 0xFFF);
        ref DecodedBlock? slot = ref fast[(int)(pa ^ (pa >> FastBits)) & ((1 << FastBits) - 1)];
        DecodedBlock? block = slot;
        if (block is not null && block.PhysicalAddress == pa && block.Valid)
        {
            return block;
        }

        if (!blocks.TryGetValue(pa, out block))
        {
            block = Decode(linear, pa, page, pfn);
        }

        slot = block;
        return block;
    }

    private DecodedBlock Decode(ulong linear, ulong pa, byte[] page, ulong pfn)
    {
        int offset = (int)(linear & 0xFFF);
        int available = PhysicalMemory.FrameSize - offset;
        Array.Copy(page, offset, window, 0, available);
        var reader = new ByteArrayCodeReader(window, 0, available);
        var decoder = Decoder.Create(64, reader, linear, DecoderOptions.None);
        var list = new List<DecodedInstruction>();
        var frames = new List<ulong> { pfn };
        while (list.Count < MaxBlockLength && reader.CanReadByte)
        {
            decoder.Decode(out Instruction instruction);
            if (decoder.LastError == DecoderError.NoMoreBytes)
            {
                if (list.Count > 0)
                {
                    break; // the straddling instruction starts the next block, so its fetch fault is precise
                }

                // The first instruction straddles the page end: fetch the next page (this may fault).
                ulong nextLinear = (linear & ~0xFFFUL) + PhysicalMemory.FrameSize;
                byte[] next = mmu.FetchPage(nextLinear, out ulong nextPfn);
                Array.Copy(next, 0, window, available, 15);
                frames.Add(nextPfn);
                reader = new ByteArrayCodeReader(window, 0, available + 15);
                decoder = Decoder.Create(64, reader, linear, DecoderOptions.None);
                decoder.Decode(out instruction);
            }

            list.Add(translator.Translate(in instruction));
            if (EndsBlock(instruction))
            {
                break;
            }
        }

        var block = new DecodedBlock(pa, list.ToArray(), frames.ToArray());
        blocks[pa] = block;
        foreach (ulong frame in block.Frames)
        {
            if (!byFrame.TryGetValue(frame, out var owners))
            {
                byFrame[frame] = owners = new List<DecodedBlock>();
                mmu.Memory.MarkCode(frame);
                mmu.ForgetWritableFrame(frame);
            }

            owners.Add(block);
        }

        BlocksDecoded++;
        return block;
    }

    private static bool EndsBlock(in Instruction instruction) => instruction.FlowControl switch
    {
        FlowControl.Next or FlowControl.ConditionalBranch => instruction.IsInvalid,
        _ => true,
    };

    private void Invalidate(ulong pfn)
    {
        if (!byFrame.Remove(pfn, out var owners))
        {
            return;
        }

        foreach (var block in owners)
        {
            block.Valid = false;
            blocks.Remove(block.PhysicalAddress);
        }

        Invalidated?.Invoke();
    }
}
