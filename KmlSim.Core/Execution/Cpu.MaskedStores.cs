using System.Runtime.Intrinsics;
using Iced.Intel;
using KmlSim.Decoding;
using KmlSim.Memory;

namespace KmlSim.Execution;

/// <summary>MASKMOVDQU and the byte-masked store it shares with MMX's MASKMOVQ.</summary>
public sealed unsafe partial class Cpu
{
    internal static void RegisterMaskedStores(HandlerTable table) => table.Add(Code.Maskmovdqu_rDI_xmm_xmm, &MaskedStoreXmm);

    /// <summary>MASKMOVDQU: the bytes of the first XMM register whose mask byte (in the second) has its sign bit set, stored at [RDI].</summary>
    private static void MaskedStoreXmm(Cpu cpu, ref DecodedInstruction d) => cpu.StoreMaskedBytes(ref d, cpu.Xmm[d.Reg1], cpu.Xmm[d.Reg2], 16);

    /// <summary>
    /// Stores the selected bytes of <paramref name="data"/> at DS:rDI (EDI with a 67h prefix; an FS/GS
    /// override adds that base). Every byte that will be written is checked before any is, so a fault
    /// leaves memory unchanged; unselected bytes are not accessed.
    /// </summary>
    internal void StoreMaskedBytes(ref DecodedInstruction d, Vector128<byte> data, Vector128<byte> mask, int length)
    {
        ulong address = d.AddressSize == 4 ? (uint)R[7] : R[7];
        if (d.MemSegment != 0)
        {
            address += d.MemSegment == 4 ? FsBase : GsBase;
        }

        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < length; i++)
            {
                if ((mask.GetElement(i) & 0x80) == 0)
                {
                    continue;
                }

                if (pass == 0)
                {
                    Mmu.Translate(address + (ulong)i, AccessKind.Write, Mmu.UserMode);
                }
                else
                {
                    Mmu.Write8(address + (ulong)i, data.GetElement(i));
                }
            }
        }
    }
}
